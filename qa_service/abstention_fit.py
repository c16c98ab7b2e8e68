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
    "mean": [0.634607, 0.707666, 0.081624, 0.646688, 0.097792, 0.031546, 1.273952, 0.471408],
    "scale": [0.103048, 0.257808, 0.165103, 0.477999, 0.238082, 0.174787, 0.353381, 0.405891],
    "coef": [-0.039779, -0.529424, 0.644521, -0.376688, -0.226874, -0.476137, 2.186906, -0.033364],
    "intercept": 0.593452,
    "answer_at": 0.227361,
    "weak_at": 0.143608,
}
