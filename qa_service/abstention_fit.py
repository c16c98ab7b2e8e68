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
    "mean": [0.634514, 0.707666, 0.081624, 0.646688, 0.09306, 0.022082, 1.273952, 0.467117],
    "scale": [0.103578, 0.257808, 0.165103, 0.477999, 0.231609, 0.14695, 0.353381, 0.399896],
    "coef": [0.029116, -0.527498, 0.715471, -0.397536, -0.188611, -0.102109, 2.212594, -0.167164],
    "intercept": 0.575214,
    "answer_at": 0.241806,
    "weak_at": 0.127548,
}
