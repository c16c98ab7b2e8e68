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
    "mean": [0.647528, 0.707923, 0.081047, 0.646688, 0.107256, 0.022082, 1.290682, 0.48214],
    "scale": [0.120307, 0.254834, 0.164544, 0.477999, 0.253389, 0.14695, 0.374521, 0.410445],
    "coef": [0.241144, -0.4839, 0.565109, -0.227564, -0.463394, -0.471204, 1.911961, -0.067944],
    "intercept": 0.496728,
    "answer_at": 0.235862,
    "weak_at": 0.180973,
}
