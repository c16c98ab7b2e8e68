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
    "mean": [0.647015, 0.707441, 0.081048, 0.646688, 0.104101, 0.022082, 1.290059, 0.486382],
    "scale": [0.119977, 0.254077, 0.164542, 0.477999, 0.251586, 0.14695, 0.373819, 0.411566],
    "coef": [0.226769, -0.495391, 0.549503, -0.226856, -0.479853, -0.473393, 1.903301, -0.032381],
    "intercept": 0.494701,
    "answer_at": 0.238638,
    "weak_at": 0.174788,
}
