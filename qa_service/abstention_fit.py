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
    "mean": [0.634607, 0.707666, 0.081624, 0.646688, 0.100946, 0.028391, 1.273952, 0.471868],
    "scale": [0.103048, 0.257808, 0.165103, 0.477999, 0.240069, 0.166088, 0.353381, 0.40305],
    "coef": [-0.058078, -0.502617, 0.67476, -0.376691, -0.240608, -0.527823, 2.225436, -0.122776],
    "intercept": 0.576846,
    "answer_at": 0.234828,
    "weak_at": 0.148437,
}
