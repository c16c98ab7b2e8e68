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
    "mean": [0.634607, 0.707666, 0.081624, 0.646688, 0.097792, 0.028391, 1.273952, 0.471408],
    "scale": [0.103048, 0.257808, 0.165103, 0.477999, 0.238082, 0.166088, 0.353381, 0.405891],
    "coef": [-0.046672, -0.529475, 0.64048, -0.380409, -0.22688, -0.54414, 2.182641, -0.036425],
    "intercept": 0.584589,
    "answer_at": 0.229887,
    "weak_at": 0.145168,
}
