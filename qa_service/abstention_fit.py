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
    "mean": [0.635944, 0.775424, 0.079051, 0.646688, 0.094637, 0.022082, 1.341438],
    "scale": [0.10532, 0.234871, 0.161469, 0.477999, 0.225789, 0.14695, 0.332914],
    "coef": [0.010022, -0.53563, 0.018207, -0.484951, -0.186647, -0.072534, 1.929587],
    "intercept": 0.57189,
    "answer_at": 0.241812,
    "weak_at": 0.134912,
}
