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
    "mean": [0.634607, 0.707666, 0.081624, 0.646688, 0.100946, 0.031546, 1.273952, 0.471868],
    "scale": [0.103048, 0.257808, 0.165103, 0.477999, 0.240069, 0.174787, 0.353381, 0.40305],
    "coef": [-0.049377, -0.501641, 0.676211, -0.373173, -0.245974, -0.459663, 2.223978, -0.115476],
    "intercept": 0.585834,
    "answer_at": 0.227173,
    "weak_at": 0.147087,
}
