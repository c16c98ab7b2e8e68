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
    "mean": [0.63491, 0.707666, 0.081624, 0.646688, 0.097792, 0.028391, 1.274005, 0.469184],
    "scale": [0.102619, 0.257808, 0.165103, 0.477999, 0.238082, 0.166088, 0.353296, 0.406536],
    "coef": [-0.039201, -0.519228, 0.647615, -0.380411, -0.228995, -0.541402, 2.181517, -0.054993],
    "intercept": 0.585354,
    "answer_at": 0.232209,
    "weak_at": 0.145494,
}
