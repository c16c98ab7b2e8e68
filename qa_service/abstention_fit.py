"""The abstention classifier's fitted numbers (written by bench/fit_abstention.py)."""

# The rule before the classifier, as a model: answered when cosine + coverage >= 0.892.
FITTED = {
    "features": ["cosine", "coverage", "lacking", "council_named", "year_missed", "kind_missed"],
    "mean": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "scale": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    "coef": [1.0, 1.0, 0.0, 0.0, 0.0, 0.0],
    "intercept": -0.892,
    "answer_at": 0.5,
    "weak_at": 0.5,
}
