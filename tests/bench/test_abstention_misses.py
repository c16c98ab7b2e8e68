"""The corpus check of bench/abstention_misses.py: a value of the kind asked, stated beside the
question's specific concepts anywhere in the council's papers."""

from __future__ import annotations

from bench.abstention_misses import (
    Form,
    bound_share,
    capped,
    kinds_asked,
)

PAID = "How much did Lindenport pay for its second JCB machine?"
WEIGHTS = {("jcb",): 5.0, ("machine",): 3.0, ("pay",): 1.0, ("second",): 0.5}


def test_no_sentence_states_the_sum_beside_the_thing_asked() -> None:
    papers = [
        "The Council bought a JCB machine in 2022. A second machine is planned.",
        "The highways budget is £4.2 million this year.",
    ]
    assert bound_share(PAID, WEIGHTS, papers) == 0.0


def test_a_sentence_stating_the_sum_beside_the_thing_binds_it() -> None:
    papers = [
        "The Council bought a JCB machine in 2022.",
        "The second JCB machine cost £95,000 and arrived in May.",
    ]
    assert bound_share(PAID, WEIGHTS, papers) == 1.0


def test_a_concept_the_papers_never_name_does_not_count_against_the_question() -> None:
    # "kid" is the writer's word; the papers say "child"; the rarest concepts the papers name
    # are the ones looked for
    weights = {("kid",): 9.0, ("jcb",): 5.0, ("machine",): 3.0}
    papers = ["The JCB machine cost £95,000."]
    assert bound_share("How much did the JCB machine for each kid cost?", weights, papers) == 1.0


def test_a_question_asking_no_value_is_not_read() -> None:
    papers = ["The Council bought a JCB machine in 2022."]
    assert kinds_asked("What did the councillors say about the JCB machine?") == []
    assert (
        bound_share("What did the councillors say about the JCB machine?", WEIGHTS, papers) == 1.0
    )


def test_money_is_read_only_in_forms_that_read_it() -> None:
    assert "money" in kinds_asked(PAID)
    assert "money" not in kinds_asked(PAID, money=False)
    # a sum stated with no figure of another kind: with money read, only a sum binds
    papers = ["The second JCB machine is 4 metres long."]
    assert bound_share(PAID, WEIGHTS, papers, Form(3, True)) == 0.0


def test_the_cap_only_lowers_answered_states_at_or_below_the_cut() -> None:
    states = ["answered", "answered", "weak_match", "answered"]
    assert capped(states, [0.0, 0.5, 0.0, 1.0], 0.0) == [
        "weak_match",
        "answered",
        "weak_match",
        "answered",
    ]
    assert capped(states, [0.0, 0.5, 0.0, 1.0], None) == states
