"""The vocabulary of council papers: abbreviations and the everyday words for its terms.

This is vocabulary of the domain, not of any one council or question.  Each group says
which public glossary it follows; none was taken from the evaluation questions.

* ``ABBREVIATIONS``: an abbreviation and its long forms (one per way councils write it);
  the first is what the question is read as.  Keys are lower case; an abbreviation whose
  lower-case spelling is an ordinary English word ("send", "pep", "mace", "mash", "ta") is
  recognised only as written in capitals (``CASE_SENSITIVE``).
* ``EVERYDAY``: what a resident says and the terms papers use for it ("special needs plan":
  education, health and care plan; "over budget": overspend).  A question's everyday words
  are kept and the papers' terms added beside them (``everyday_terms``), never swapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # Children's social care: DfE "Children looked after in England" and "Characteristics
    # of children in need" statistical glossaries; Working Together to Safeguard Children
    # (GOV.UK) glossary; Ofsted's ILACS framework.
    "lac": ("looked after children", "children in care", "child looked after"),
    "cla": ("children looked after", "looked after children", "children in care"),
    "cic": ("children in care", "looked after children"),
    "cse": ("child sexual exploitation",),
    "cce": ("child criminal exploitation",),
    "mash": ("multi-agency safeguarding hub",),
    "ilacs": ("inspection of local authority children's services",),
    "sif": ("single inspection framework",),
    "cpp": ("child protection plan",),
    "cp": ("child protection",),
    "cin": ("child in need",),
    "iro": ("independent reviewing officer",),
    "iros": ("independent reviewing officers",),
    "plo": ("public law outline",),
    "lscb": ("local safeguarding children board",),
    "scp": ("safeguarding children partnership",),
    "lado": ("local authority designated officer",),
    "uasc": ("unaccompanied asylum-seeking children",),
    "rhi": ("return home interview",),
    "rhis": ("return home interviews",),
    "sgo": ("special guardianship order",),
    "icpc": ("initial child protection conference",),
    "rcpc": ("review child protection conference",),
    "s47": ("section 47 enquiry",),
    "csc": ("children's social care",),
    "mace": ("multi-agency child exploitation",),
    "fgc": ("family group conference",),
    "dcs": ("director of children's services",),
    "nqsw": ("newly qualified social worker",),
    "nqsws": ("newly qualified social workers",),
    "asye": ("assessed and supported year in employment",),
    "adcs": ("association of directors of children's services",),
    "yot": ("youth offending team",),
    "yjs": ("youth justice service",),
    # Education and SEND: the SEND Code of Practice 0-25 (GOV.UK) glossary; DfE school
    # statistics glossaries.
    "ehcp": ("education, health and care plan",),
    "ehcps": ("education, health and care plans",),
    "ehc": ("education, health and care",),
    "send": ("special educational needs and disabilities",),
    "sen": ("special educational needs",),
    "senco": ("special educational needs coordinator",),
    "semh": ("social, emotional and mental health",),
    "pep": ("personal education plan",),
    "peps": ("personal education plans",),
    "ehe": ("elective home education",),
    "cme": ("children missing education",),
    "neet": ("not in education, employment or training",),
    "pru": ("pupil referral unit",),
    "fsm": ("free school meals",),
    "eyfs": ("early years foundation stage",),
    "dsg": ("dedicated schools grant",),
    "hnb": ("high needs block",),
    # Youth justice: Youth Justice Board statistics glossary.  "FTE" is not here as
    # "first time entrants": council papers use it for full-time equivalent posts.
    "fte": ("full-time equivalent",),
    "ftes": ("full-time equivalents",),
    # Health and adult social care: NHS England and Care Act 2014 statutory guidance
    # (GOV.UK) glossaries.
    "camhs": ("child and adolescent mental health services",),
    "icb": ("integrated care board",),
    "ccg": ("clinical commissioning group",),
    "cqc": ("care quality commission",),
    "dols": ("deprivation of liberty safeguards",),
    "chc": ("continuing healthcare",),
    "bcf": ("better care fund",),
    "dtoc": ("delayed transfers of care",),
    # Local government finance: LGA and CIPFA finance glossaries; GOV.UK "Local authority
    # revenue expenditure and financing" guidance.
    "mtfs": ("medium term financial strategy",),
    "mtfp": ("medium term financial plan",),
    "nndr": ("national non-domestic rates", "business rates"),
    "hra": ("housing revenue account",),
    "rsg": ("revenue support grant",),
    "mrp": ("minimum revenue provision",),
    "pwlb": ("public works loan board",),
    "lcts": ("local council tax support", "council tax reduction"),
    "ctrs": ("council tax reduction scheme",),
    # Housing and planning: the Homelessness Code of Guidance and the Planning Portal
    # glossary (GOV.UK); the National Planning Policy Framework's glossary.
    "ta": ("temporary accommodation",),
    "hmo": ("house in multiple occupation",),
    "hmos": ("houses in multiple occupation",),
    "dfg": ("disabled facilities grant",),
    "lha": ("local housing allowance",),
    "nppf": ("national planning policy framework",),
    "spd": ("supplementary planning document",),
    "cil": ("community infrastructure levy",),
    "s106": ("section 106 agreement", "planning obligation"),
    "tpo": ("tree preservation order",),
    # Government and governance: LGA councillor workbooks' glossary.
    "dfe": ("department for education",),
    "hmi": ("his majesty's inspector", "her majesty's inspector"),
    "lga": ("local government association",),
    "kpi": ("key performance indicator",),
    "kpis": ("key performance indicators",),
    "dpi": ("disclosable pecuniary interest",),
    "pcc": ("police and crime commissioner",),
}

# Abbreviations spelt like an ordinary lower-case English word: recognised only in the
# capitals councils write them in ("SEND", "PEPs"), so "how do I send a complaint" stays
# about sending.
CASE_SENSITIVE: dict[str, frozenset[str]] = {
    "send": frozenset({"SEND"}),
    "pep": frozenset({"PEP"}),
    "peps": frozenset({"PEPs", "PEPS"}),
    "mace": frozenset({"MACE"}),
    "mash": frozenset({"MASH"}),
    "ta": frozenset({"TA"}),
}

# Everyday words and phrases -> the terms council papers use, grouped by the glossary they
# follow.  Only unambiguous wording: a word with an ordinary sense outside the council's
# business ("fine", "statement", "cuts" of hair) is left out.
EVERYDAY: dict[str, tuple[str, ...]] = {
    # LGA and CIPFA local government finance glossaries; GOV.UK "How council tax works".
    "over budget": ("overspend",),
    "overspent": ("overspend",),
    "overspending": ("overspend",),
    "spent too much": ("overspend",),
    "under budget": ("underspend",),
    "underspent": ("underspend",),
    "budget gap": ("funding gap", "budget shortfall"),
    "council tax": ("precept",),
    "parish tax": ("precept",),
    "council tax rise": ("council tax increase", "precept"),
    "council tax bill": ("council tax", "precept"),
    "business rates": ("national non-domestic rates", "nndr"),
    "rainy day fund": ("reserves", "general fund balance"),
    "savings pot": ("reserves",),
    "spending cuts": ("savings", "efficiencies"),
    "budget cuts": ("savings", "efficiencies"),
    "borrowing costs": ("capital financing", "minimum revenue provision"),
    # SEND Code of Practice (GOV.UK) glossary and "Children with special educational needs
    # and disabilities (SEND)" on GOV.UK.
    "special needs plan": ("education, health and care plan", "ehcp"),
    "sen plan": ("education, health and care plan", "ehcp"),
    "care plan for school": ("education, health and care plan", "ehcp"),
    "statement of special educational needs": ("education, health and care plan", "ehcp"),
    "special needs": ("special educational needs", "send"),
    "learning difficulties": ("special educational needs", "learning disabilities"),
    "home schooling": ("elective home education", "ehe"),
    "home schooled": ("elective home education", "ehe"),
    "home-schooled": ("elective home education", "ehe"),
    "homeschooling": ("elective home education", "ehe"),
    "home educated": ("elective home education", "ehe"),
    "taught at home": ("elective home education", "ehe"),
    "school transport": ("home to school transport",),
    "school bus": ("home to school transport",),
    "school taxi": ("home to school transport",),
    "school taxis": ("home to school transport",),
    "kicked out of school": ("permanent exclusion", "exclusions"),
    "expelled": ("permanent exclusion", "exclusions"),
    "truancy": ("persistent absence", "school attendance"),
    "skipping school": ("persistent absence", "school attendance"),
    "nursery places": ("early years", "childcare"),
    # DfE children looked after and children in need glossaries; Working Together to
    # Safeguard Children (GOV.UK).
    "kid": ("child",),
    "kids": ("children",),
    "foster parents": ("foster carers",),
    "foster parent": ("foster carer",),
    "foster kids": ("looked after children", "children in care"),
    "care kids": ("looked after children", "children in care"),
    "kids in care": ("looked after children", "children in care"),
    "leaving care": ("care leavers",),
    "left care": ("care leavers",),
    "child abuse": ("safeguarding", "child protection"),
    "ran away": ("missing from home", "missing episodes"),
    "run away": ("missing from home", "missing episodes"),
    "runaways": ("missing from home", "missing episodes"),
    "young offenders": ("youth justice", "youth offending"),
    "youth crime": ("youth justice", "youth offending"),
    # Care Act 2014 statutory guidance (GOV.UK) and NHS England glossaries.
    "home care": ("domiciliary care",),
    "carers coming to the house": ("domiciliary care",),
    "care at home": ("domiciliary care",),
    "old people's home": ("residential care", "care home"),
    "old peoples home": ("residential care", "care home"),
    "nursing home": ("nursing care", "care home"),
    "bed blocking": ("delayed transfers of care", "delayed discharge"),
    "respite care": ("short breaks",),
    "respite": ("short breaks",),
    "paying for care": ("charging", "financial assessment"),
    "care charges": ("charging", "financial assessment"),
    # Homelessness Code of Guidance and Allocation of accommodation guidance (GOV.UK).
    "council housing": ("social housing",),
    "council houses": ("social housing",),
    "council house": ("social housing",),
    "housing waiting list": ("housing register",),
    "homeless hostel": ("temporary accommodation",),
    "emergency housing": ("temporary accommodation",),
    "sleeping rough": ("rough sleeping",),
    "sleeping on the streets": ("rough sleeping",),
    "living on the streets": ("rough sleeping",),
    # Planning Portal glossary and National Planning Policy Framework glossary (GOV.UK).
    "planning permission": ("planning application", "consent"),
    "developer contributions": ("section 106", "community infrastructure levy"),
    "protected tree": ("tree preservation order",),
    # GOV.UK highways and street services ("Report a pothole", "Report dog fouling",
    # "Report fly-tipping", "Bin collections") and the Highways Act's terms.
    "pothole": ("carriageway defect", "highway maintenance"),
    "potholes": ("carriageway defects", "highway maintenance"),
    "pavement": ("footway",),
    "pavements": ("footways",),
    "road repairs": ("highway maintenance", "resurfacing"),
    "speed bumps": ("traffic calming",),
    "speed humps": ("traffic calming",),
    "gritting": ("winter maintenance",),
    "street lights": ("street lighting",),
    "bin collection": ("waste collection", "refuse collection"),
    "bin collections": ("waste collection", "refuse collection"),
    "rubbish collection": ("waste collection", "refuse collection"),
    "dog mess": ("dog fouling",),
    "dog poo": ("dog fouling",),
    "dumped rubbish": ("fly-tipping",),
    "abandoned cars": ("abandoned vehicles",),
    "noisy neighbours": ("noise nuisance", "statutory nuisance"),
    # LGA councillor workbooks' glossary: who is who in a council.
    "cabinet member": ("portfolio holder",),
    "council leader": ("leader of the council",),
    "head of the council": ("chief executive", "leader of the council"),
    "conflict of interest": ("declaration of interest", "disclosable pecuniary interest"),
}


@dataclass(frozen=True)
class Everyday:
    """An everyday phrase found in a question and the papers' terms for it."""

    phrase: str  # as the question writes it
    forms: tuple[str, ...]  # the papers' terms, first the one the model reads


def abbreviation(word: str) -> tuple[str, ...] | None:
    """The long forms of ``word`` as written, or None when it is not an abbreviation here.

    Case-insensitive except for the abbreviations in ``CASE_SENSITIVE``.
    """
    key = word.lower().strip("'’")
    forms = ABBREVIATIONS.get(key)
    if forms is None:
        return None
    written = CASE_SENSITIVE.get(key)
    if written is not None and word.strip("'’") not in written:
        return None
    return forms


def is_glossary_word(word: str) -> bool:
    """Whether a lower-case word is one of the glossary's (so never a typo to correct)."""
    return word in ABBREVIATIONS or word in EVERYDAY


@lru_cache(maxsize=1)
def _everyday_pattern() -> re.Pattern[str]:
    phrases = sorted(EVERYDAY, key=len, reverse=True)  # the longest phrase wins
    # a verb form matches its other form: "dumping rubbish" is "dumped rubbish"
    alternatives = "|".join(
        r"[\s-]+".join(map(_inflected, re.split(r"[\s-]+", p))) for p in phrases
    )
    # a plural counts as its phrase: "special needs plans"
    return re.compile(rf"(?<![\w'’-])(?:{alternatives})(?:e?s)?(?![\w'’-])", re.IGNORECASE)


def _stem(word: str) -> str:
    """A verb form's stem: "dumped" and "dumping" -> "dump" (a stem of four letters or more,
    so "speed" or "paying" stay whole).  Not ``asked_plan._stem_of`` nor
    ``trend_words.stem``: a phrase's word must be written back as a pattern (its stem and
    "ed" or "ing"), so nothing else comes off and the case is kept (docs/quality.md,
    "Repeated code, stop 29")."""
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _inflected(word: str) -> str:
    """A phrase word as a pattern: a verb form matches its other form too ("dumped
    rubbish" matches "dumping rubbish", "skipping school" "skipped school")."""
    stem = _stem(word)
    return re.escape(word) if stem == word else re.escape(stem) + "(?:ed|ing)"


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def everyday_terms(text: str) -> list[Everyday]:
    """The everyday phrases in ``text``, in order, with the papers' terms for each."""
    found: list[Everyday] = []
    for match in _everyday_pattern().finditer(text):
        forms = _forms(_key(match.group(0)))
        if forms:
            found.append(Everyday(match.group(0), forms))
    return found


@lru_cache(maxsize=1)
def _by_words() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {
        tuple(_stem(w) for w in re.split(r"[\s-]+", phrase)): forms
        for phrase, forms in EVERYDAY.items()
    }


def _forms(key: str) -> tuple[str, ...]:
    """The glossary's forms for a matched phrase, as written or as its singular, a verb
    form as its other form, with a hyphen where the glossary has a space or the other way
    round."""
    words = [_stem(w) for w in re.split(r"[\s-]+", key)]
    table = _by_words()
    for last in (words[-1], words[-1][:-1], words[-1][:-2]):
        forms = table.get((*words[:-1], last))
        if forms:
            return forms
    return ()


def annotate(text: str) -> str:
    """``text`` with the papers' term after each everyday phrase: "kids (children)"."""

    def add(match: re.Match[str]) -> str:
        found = everyday_terms(match.group(0))
        return f"{match.group(0)} ({found[0].forms[0]})" if found else match.group(0)

    return _everyday_pattern().sub(add, text)
