"""How a question is put, as distinct from what it asks about: words about the request
("compare councils"), a request for what was decided, for the latest paper, for who
attended or for how many, and the filler words that are never key terms."""

from __future__ import annotations

import re

# Words about the request rather than its subject: "compare councils", "across councils",
# "Oakhaven vs Ravensholt".  They would otherwise pull in any passage that says "councils".
REQUEST_WORDS = re.compile(
    r"\b(?:(?:compare|comparing|compared|across|in|at|for|between|among|amongst)\s+)?"
    r"(?:(?:the|different|other|all|several|each)\s+)?"
    r"(?:councils|local authorities|authorities)\b(?!\s+tax)"
    r"|\b(?:vs|versus)\b\.?",
    re.IGNORECASE,
)
# A question asking what was decided ("what did it agree?", "when was it approved?", "why
# was it turned down?") is answered by a resolution or recommendation.  Verbs only: "a MASH
# decision" or "threshold decisions" name a subject, not a request for what a meeting
# decided.
ASKS_DECISION = re.compile(
    r"\b(?:decide|decided|agree|agreed|resolve|resolved|approve|approved|recommend|recommended"
    r"|refuse|refused|reject|rejected|turn(?:ed)?\s+down)\b",
    re.IGNORECASE,
)
# A question asking who attended a meeting ("who substituted for ...", "who sent apologies",
# "who was present") is answered by the head of its minutes, which the second stage marks
# down as front matter for every other question (``rerank.front_matter_mark``).
# Not "attendance" or "absence" alone: school attendance and absence are topics of the papers.
ASKS_ATTENDANCE = re.compile(
    r"\b(?:substitut(?:e|ed|es|ing)\s+for|apologi[sz](?:e|ed|es)|apologies"
    r"|who\s+(?:was|were)\s+(?:present|absent)|who\s+attended|present\s+at\s+the\s+meeting)\b",
    re.IGNORECASE,
)
# A question asking for the latest time something happened ("when did it last ...", "most
# recently", "the latest ...") is answered by the newest of the papers that discuss it;
# "last year" or "over the last four years" name a period instead.
ASKS_LATEST = re.compile(
    r"\b(?:most\s+recent(?:ly)?|latest|last"
    r"(?!\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|quarters?)\b))\b",
    re.IGNORECASE,
)
# A question asking how many of something there are ("how many contacts were waiting"): the
# thing counted is read from the key terms right after it (``query.counted_of``).
HOW_MANY = re.compile(r"\bhow\s+many\b", re.IGNORECASE)
# Words that say how a question is put, not what it is about: adverbs, pronoun forms and
# light verbs.  They stay in the lexical search, where BM25's own weighting sorts them out,
# but are not key terms: in a small archive "keep" or "back" can be rarer than "threshold",
# and coverage weighs rarity.  They are the Glasgow IR stop list's (as scikit-learn ships
# it) less its nouns ("front", "interest", "fire", "system", ...), its number words and
# "may" (also a month), which can be what a question asks about; its light verbs count in
# every form ("keeps", "getting", "taken").
FILLER = frozenset(
    [
        "across",
        "afterwards",
        "almost",
        "alone",
        "along",
        "already",
        "although",
        "always",
        "among",
        "amongst",
        "another",
        "anyhow",
        "anyone",
        "anything",
        "anyway",
        "anywhere",
        "around",
        "back",
        "became",
        "become",
        "becomes",
        "becoming",
        "beforehand",
        "behind",
        "beside",
        "besides",
        "beyond",
        "cannot",
        "cant",
        "couldnt",
        "done",
        "due",
        "either",
        "else",
        "elsewhere",
        "enough",
        "even",
        "ever",
        "every",
        "everyone",
        "everything",
        "everywhere",
        "except",
        "former",
        "formerly",
        "give",
        "go",
        "hasnt",
        "hence",
        "hereafter",
        "hereby",
        "herein",
        "hereupon",
        "however",
        "indeed",
        "keep",
        "latter",
        "latterly",
        "least",
        "less",
        "made",
        "meanwhile",
        "might",
        "moreover",
        "mostly",
        "must",
        "namely",
        "neither",
        "never",
        "nevertheless",
        "nobody",
        "none",
        "noone",
        "nothing",
        "nowhere",
        "often",
        "onto",
        "others",
        "otherwise",
        "perhaps",
        "please",
        "put",
        "rather",
        "see",
        "seem",
        "seemed",
        "seeming",
        "seems",
        "several",
        "since",
        "somehow",
        "someone",
        "something",
        "sometime",
        "sometimes",
        "somewhere",
        "still",
        "take",
        "thence",
        "thereafter",
        "thereby",
        "therefore",
        "therein",
        "thereupon",
        "though",
        "throughout",
        "thru",
        "thus",
        "together",
        "toward",
        "towards",
        "upon",
        "us",
        "via",
        "well",
        "whatever",
        "whence",
        "whenever",
        "whereafter",
        "whereas",
        "whereby",
        "wherein",
        "whereupon",
        "wherever",
        "whether",
        "whither",
        "whoever",
        "whole",
        "whose",
        "within",
        "without",
        "yet",
        "first",
        "last",
        "next",
        "keeps",
        "keeping",
        "kept",
        "gets",
        "getting",
        "takes",
        "taking",
        "took",
        "taken",
        "gives",
        "giving",
        "gave",
        "given",
        "goes",
        "going",
        "went",
        "gone",
        "make",
        "makes",
        "making",
        "puts",
        "putting",
        "sees",
        "seeing",
        "saw",
        "seen",
    ]
)
# The endings of contractions ("they're", "we've", "didn't"), which tokenising would leave
# as words of their own ("re", "ve"); the "re" of "re-referral" is not one of them.
CONTRACTION = re.compile(r"(?<=[A-Za-z])(?:['’](?:re|ve|ll|d|m)|n['’]t)\b", re.IGNORECASE)
