"""The abbreviations of English children's services and council papers, and their long forms.

This is vocabulary of the domain, not of any one council or question: the terms any
officer, councillor or inspector uses.  An abbreviation may have several long forms (one
per way councils write it); the first is what the question is read as.
"""

from __future__ import annotations

# Keys are matched as whole words, case-insensitively.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "lac": ("looked after children", "children in care", "child looked after"),
    "cla": ("children looked after", "looked after children", "children in care"),
    "cic": ("children in care", "looked after children"),
    "cse": ("child sexual exploitation",),
    "cce": ("child criminal exploitation",),
    "mash": ("multi-agency safeguarding hub",),
    "ilacs": ("inspection of local authority children's services",),
    "sif": ("single inspection framework",),
    "ehcp": ("education, health and care plan",),
    "ehcps": ("education, health and care plans",),
    "ehc": ("education, health and care",),
    "send": ("special educational needs and disabilities",),
    "sen": ("special educational needs",),
    "cpp": ("child protection plan",),
    "cp": ("child protection",),
    "cin": ("child in need",),
    "iro": ("independent reviewing officer",),
    "iros": ("independent reviewing officers",),
    "plo": ("public law outline",),
    "lscb": ("local safeguarding children board",),
    "scp": ("safeguarding children partnership",),
    "camhs": ("child and adolescent mental health services",),
    "dfe": ("department for education",),
    "hmi": ("his majesty's inspector", "her majesty's inspector"),
    "neet": ("not in education, employment or training",),
    "uasc": ("unaccompanied asylum-seeking children",),
    "lado": ("local authority designated officer",),
    "pep": ("personal education plan",),
    "peps": ("personal education plans",),
    "rhi": ("return home interview",),
    "rhis": ("return home interviews",),
    "yot": ("youth offending team",),
    "yjs": ("youth justice service",),
    "dcs": ("director of children's services",),
    "nqsw": ("newly qualified social worker",),
    "nqsws": ("newly qualified social workers",),
    "asye": ("assessed and supported year in employment",),
    "ehe": ("elective home education",),
    "cme": ("children missing education",),
    "fte": ("first time entrants",),
    "sgo": ("special guardianship order",),
    "icpc": ("initial child protection conference",),
    "rcpc": ("review child protection conference",),
    "s47": ("section 47 enquiry",),
    "csc": ("children's social care",),
    "mace": ("multi-agency child exploitation",),
    "icb": ("integrated care board",),
    "ccg": ("clinical commissioning group",),
    "cqc": ("care quality commission",),
    "adcs": ("association of directors of children's services",),
    "lga": ("local government association",),
    "kpi": ("key performance indicator",),
    "kpis": ("key performance indicators",),
    "fgc": ("family group conference",),
}

# Everyday words for the same things, read as the papers' words.
COLLOQUIAL: dict[str, tuple[str, ...]] = {
    "kid": ("child",),
    "kids": ("children",),
}
