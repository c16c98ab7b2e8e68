"""The probe of another event's date (bench/abstention_event_probe.py)."""

from __future__ import annotations

from bench.abstention_event_probe import event_asked, event_unwritten


def test_a_date_question_names_its_event_by_the_verb_after_its_subject() -> None:
    assert event_asked("When did Oakhaven decide to adopt Signs of Safety?") == "decide"
    assert event_asked("On what date did the road actually reopen after the works?") == "reopen"
    assert event_asked("How many homes did the council build?") == ""  # no date asked


def test_the_event_is_unwritten_when_the_shown_sentence_has_another_verb() -> None:
    question = "On what date did the road actually reopen after the works?"
    assert event_unwritten(question, "Site 2 works commenced on 7th May 2019.")
    assert not event_unwritten(question, "The road was reopened on 2 August 2019.")
