"""The confidence threshold of ``CQA_ABSTENTION=threshold`` (written by
bench/calibrate_abstention.py --write: the fewest expected mistakes with at most 5% of
answerable questions refused, on the three shared sets; out of fold across councils in
docs/quality.md)."""

COVERAGE_WEIGHT = 1.0  # the confidence's coverage weight it was chosen for
THRESHOLD = 0.844
