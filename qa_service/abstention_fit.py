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
    "mean": [0.634607, 0.707666, 0.081624, 0.646688, 0.100946, 0.072555, 1.273952, 0.471868],
    "scale": [0.103048, 0.257808, 0.165103, 0.477999, 0.240069, 0.259405, 0.353381, 0.40305],
    "coef": [-0.010525, -0.505365, 0.717121, -0.345209, -0.255718, -0.477012, 2.307665, -0.194042],
    "intercept": 0.606301,
    "answer_at": 0.255924,
    "weak_at": 0.117423,
}
