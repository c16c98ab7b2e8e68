"""The abstention classifier's fitted numbers (written by bench/fit_abstention.py --write;
fitted on the three shared sets, checked out of fold across councils)."""

FITTED = {
    "features": [
        "cosine",
        "coverage",
        "lacking",
        "council_named",
        "year_missed",
        "amount_missed",
        "agreeing",
        "specific_shown",
    ],
    "mean": [0.647354, 0.710397, 0.081624, 0.646688, 0.108833, 0.025237, 1.292902, 0.484768],
    "scale": [0.119934, 0.253144, 0.165103, 0.477999, 0.257354, 0.156843, 0.373114, 0.406754],
    "coef": [0.193438, -0.499638, 0.597562, -0.406511, -0.495204, -0.530926, 2.051358, -0.139155],
    "intercept": 0.638821,
    "answer_at": 0.238686,
    "weak_at": 0.195601,
}
