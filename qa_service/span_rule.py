"""The highlight's rule: how much what a sentence holds moves it up or down, and the
readings switched on (``CQA_HIGHLIGHT_*``), bound to the settings.

The weights are fitted across councils by ``bench/fit_highlight.py``; the module doc of
``qa_service.highlight`` tells what each weight and switch reads.  ``CORE_MARGIN`` is the
neighbour margin of the core answer, which is not a setting (see its comment).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_service.config import Settings, default_of

__all__ = ["CORE_MARGIN", "SpanRule"]

# How close a neighbour must score to join the core answer (``Chosen.core``), the span the
# abstention's evidence and the trend reader read: the neighbour margin the stored
# abstention fit was made with (qa_service/abstention_fit.py), so the display's wider margin
# (``SpanRule.margin``, ``CQA_HIGHLIGHT_NEIGHBOUR_MARGIN``) leaves the abstention as fitted
# (docs/quality.md, "The core answer and the shown span, stop 30").  Not a setting: another
# value would move the abstention without a refit.
CORE_MARGIN = 0.03


@dataclass(frozen=True)
class SpanRule:
    """How much what a sentence holds moves it up or down (fitted, see module doc)."""

    # fitted across councils by bench/fit_highlight.py; the defaults are the settings'
    kind_bonus: float = default_of("highlight_kind_bonus")  # holds the kind asked for
    restate_penalty: float = default_of("highlight_restate_penalty")  # a heading, or restates
    after_bonus: float = default_of("highlight_after_bonus")  # follows a restatement
    follow_bonus: float = default_of("highlight_follow_bonus")  # follows the closest one
    # sentences holding the kind asked for within this of the best are told apart by the
    # question's words each names (``choose``)
    tie_margin: float = default_of("highlight_tie_margin")
    # a neighbour this close joins the span shown (``Chosen.shown``) ...
    margin: float = default_of("highlight_neighbour_margin")
    # ... and this close, the core answer the abstention reads (``Chosen.core``)
    core_margin: float = CORE_MARGIN
    # stop 25 readings, each a switch (docs/quality.md, "Rank 1 and the answering sentence,
    # stop 25"): a value the question gives is no answer (``own_values``); a change asked
    # is held by a sentence stating one (``change_held``); a name the question gives tells
    # sentences apart alone (``names_apart``); a bare item of a resolution is shown under
    # the resolution (``item_under_lead``); a sentence repeating the question gives way to
    # the next holding the kind asked (``restated_beside``)
    own_values: bool = default_of("highlight_own_values")
    change_held: bool = default_of("highlight_change_held")
    names_apart: bool = default_of("highlight_names_apart")
    item_under_lead: bool = default_of("highlight_item_under_lead")
    restated_beside: bool = default_of("highlight_restated_beside")

    @classmethod
    def from_settings(cls, settings: Settings) -> SpanRule:
        """The rule ``settings`` (``CQA_HIGHLIGHT_*``) give."""
        return cls(
            kind_bonus=settings.highlight_kind_bonus,
            restate_penalty=settings.highlight_restate_penalty,
            after_bonus=settings.highlight_after_bonus,
            follow_bonus=settings.highlight_follow_bonus,
            tie_margin=settings.highlight_tie_margin,
            margin=settings.highlight_neighbour_margin,
            own_values=settings.highlight_own_values,
            change_held=settings.highlight_change_held,
            names_apart=settings.highlight_names_apart,
            item_under_lead=settings.highlight_item_under_lead,
            restated_beside=settings.highlight_restated_beside,
        )
