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
    "mean": [0.635944, 0.71409, 0.079051, 0.646688, 0.094637, 0.022082, 1.281031],
    "scale": [0.10532, 0.253895, 0.161469, 0.477999, 0.225789, 0.14695, 0.350075],
    "coef": [0.007794, -0.429435, 0.514671, -0.462636, -0.204172, -0.063948, 1.99122],
    "intercept": 0.583545,
    "answer_at": 0.242728,
    "weak_at": 0.126941,
}
