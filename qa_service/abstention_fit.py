"""The abstention classifier's fitted numbers (written by bench/fit_abstention.py --write;
fitted on the three shared sets, checked out of fold across councils)."""

FITTED = {
    "features": [
        "cosine",
        "coverage",
        "lacking",
        "council_named",
        "year_missed",
        "kind_missed",
        "agreeing",
    ],
    "mean": [0.635904, 0.70822, 0.081624, 0.646688, 0.094637, 0.018927, 1.274321],
    "scale": [0.103618, 0.257744, 0.165103, 0.477999, 0.23267, 0.136269, 0.353032],
    "coef": [0.069618, -0.563689, 0.652274, -0.412047, -0.158325, -0.096613, 2.110133],
    "intercept": 0.593222,
    "answer_at": 0.251129,
    "weak_at": 0.108926,
}
