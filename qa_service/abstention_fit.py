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
    "mean": [0.634601, 0.707666, 0.081624, 0.646688, 0.097792, 0.022082, 1.273952, 0.473055],
    "scale": [0.103043, 0.257808, 0.165103, 0.477999, 0.238082, 0.14695, 0.353381, 0.405033],
    "coef": [0.007976, -0.579811, 0.636564, -0.379669, -0.225152, -0.3158, 2.160384, -0.001089],
    "intercept": 0.584911,
    "answer_at": 0.223556,
    "weak_at": 0.127344,
}
