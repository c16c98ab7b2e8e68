"""bench/quality_all.py's table: a rounding never reads as a target met or missed."""

import pytest

from bench.quality_all import table


@pytest.mark.parametrize(
    ("attr", "value", "cell"),
    [
        ("recall_at_5", 0.947, "0.947"),  # "0.95" would read as the 0.95 target met
        ("recall_at_5", 0.951, "0.95"),
        ("answer_at_1", 0.697, "0.697"),
        ("answer_at_1", 0.706, "0.71"),
        ("false_abstention", 0.053, "0.053"),  # "0.05" would read as within the bound
        ("false_abstention", 0.046, "0.05"),
        ("recall_at_1", 0.5, "0.50"),
    ],
)
def test_a_figure_rounding_across_its_target_gets_three_places(
    attr: str, value: float, cell: str
) -> None:
    row = table([("dev-set", "service", {attr: value})]).splitlines()[-1]
    assert f"| {cell} |" in row
    assert "| – |" in row  # the other columns, absent
