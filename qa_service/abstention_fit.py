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
        "specific_shown",
    ],
    "mean": [0.634607, 0.707666, 0.081624, 0.646688, 0.100946, 0.025237, 1.273952, 0.471868],
    "scale": [0.103048, 0.257808, 0.165103, 0.477999, 0.240069, 0.156843, 0.353381, 0.40305],
    "coef": [0.034193, -0.485297, 0.689006, -0.403909, -0.301906, -0.086511, 2.13124, -0.143704],
    "intercept": 0.568622,
    "answer_at": 0.236996,
    "weak_at": 0.130359,
}
