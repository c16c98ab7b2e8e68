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
        "value_missed",
    ],
    "mean": [0.647748, 0.710221, 0.080433, 0.650794, 0.1, 0.022222, 1.293721, 0.50349, 0.01746],
    "scale": [
        0.120317,
        0.255397,
        0.164896,
        0.476719,
        0.249444,
        0.147406,
        0.374615,
        0.409301,
        0.114836,
    ],
    "coef": [
        0.06159,
        -1.206609,
        0.549784,
        -0.309696,
        -0.33719,
        -0.633405,
        2.763325,
        0.074097,
        -0.465305,
    ],
    "intercept": 0.555795,
    "answer_at": 0.234359,
    "weak_at": 0.179808,
}
