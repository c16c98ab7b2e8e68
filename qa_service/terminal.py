"""Text from documents and manifests made safe to print on a terminal.

A paper's text, a file name or a manifest title can hold escape sequences (``&#27;`` in an
HTML page is enough): an OSC 52 sequence writes to the user's clipboard, a cursor move can
overwrite a citation on screen, a carriage return can hide what came before it.  The CLI
passes everything it prints that came from a document or a manifest through ``clean``,
which removes whole escape sequences first (so no leftover ``[31m`` reaches the screen)
and then every other control character, including C1 controls and the bidirectional
overrides that can reorder what a line appears to say.  The API and the pages serve the
text as stored: JSON and HTML escape it already.
"""

from __future__ import annotations

import re

_SEQUENCES = re.compile(
    r"""
      \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?    # OSC ... BEL or ST (clipboard, title)
    | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?        # DCS, SOS, PM, APC strings
    | \x1b\[[0-?]*[ -/]*[@-~]?                      # CSI: cursor moves, colours, erases
    | \x1b[ -/]*[0-~]?                              # any other ESC sequence
    | \x9b[0-?]*[ -/]*[@-~]?                        # 8-bit CSI
    | [\x90\x98\x9d-\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?  # 8-bit OSC, DCS, SOS, PM, APC
    """,
    re.VERBOSE,
)
# C0 but tab and newline, DEL, C1, and the bidirectional marks, embeddings and isolates
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None, one_line: bool = False) -> str:
    """``text`` with escape sequences and control characters removed.

    Newlines and tabs are kept, unless ``one_line``, when each becomes a space.
    """
    if not text:
        return ""
    text = _SEQUENCES.sub("", text)
    if one_line:
        text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROLS.sub("", text)
