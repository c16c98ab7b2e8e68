# ruff: noqa: E501 - one template sentence per line reads better than wrapped strings
"""The vocabulary of the synthetic corpus: councils, committees, people and topic templates.

Everything here is invented (no council, officer or figure is real) and ASCII apart from
the pound sign, so that the PDF core fonts can set it.  Sentence templates name their
slots in braces; ``bench.synth`` fills them from a seeded random generator.
"""

from __future__ import annotations

PLACE_STEMS = (
    "Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gar", "Hal", "Ing", "Kel", "Lang", "Mar",
    "Nor", "Oak", "Pen", "Quar", "Rav", "Sal", "Thorn", "Ulver", "Wel", "Yar", "Brack",
    "Cole", "Drax", "Eskel", "Fold", "Grims", "Holm", "Kirk", "Lyn", "Mow", "Ness", "Ort",
    "Pick", "Ross", "Stain", "Tad", "Wick", "Whit",
)  # fmt: skip
PLACE_ENDS = (
    "ford", "ton", "ley", "field", "moor", "haven", "wick", "borough", "dale", "mouth",
    "stead", "bury", "holt", "by", "worth", "ham", "cliffe", "thorpe",
)  # fmt: skip
COUNCIL_KINDS = (
    "County Council", "City Council", "Borough Council", "Metropolitan Borough Council",
    "District Council", "Council",
)  # fmt: skip

COMMITTEES = (
    "Cabinet",
    "Full Council",
    "Corporate Parenting Board",
    "Children's Services Scrutiny Committee",
    "Children and Young People Scrutiny Committee",
    "Adult Social Care and Health Scrutiny Committee",
    "Health and Wellbeing Board",
    "Environment and Highways Scrutiny Committee",
    "Audit and Governance Committee",
    "Overview and Scrutiny Panel",
    "Schools Forum",
    "Children's Services Improvement Board",
    "Resources and Performance Committee",
    "Planning Committee",
)

FIRST_NAMES = (
    "Anne", "Paul", "Sian", "Mark", "Tom", "Rachel", "Louise", "Philip", "Simon", "Gareth",
    "Jennifer", "Derek", "Christine", "Amira", "Kwame", "Priya", "Hannah", "David", "Fiona",
    "Imran", "Joanne", "Neil", "Olwen", "Rebecca", "Stuart", "Yvonne", "Ben", "Claire",
    "Farah", "Graham", "Helen", "Ian", "Karen", "Liam", "Mandeep", "Nadia", "Owen", "Ruth",
)  # fmt: skip
SURNAMES = (
    "Lumb", "Bellerby", "Brennan", "Dinsdale", "Kitching", "Owusu", "Raistrick", "Ashworth",
    "Garnett", "Metcalfe", "Yeadon", "Tunstall", "Haigh", "Okafor", "Patel", "Hussain",
    "Pritchard", "Sowerby", "Caldwell", "Emsley", "Fairburn", "Greenhalgh", "Holroyd",
    "Ingleby", "Jagger", "Kaur", "Lister", "Moorhouse", "Nuttall", "Oldroyd", "Pickles",
    "Quarmby", "Rushworth", "Sutcliffe", "Thackray", "Wadsworth", "Akhtar", "Brook",
)  # fmt: skip
OFFICER_ROLES = (
    "Director of Children's Services",
    "Assistant Director, Children's Social Care",
    "Head of Looked After Children",
    "Head of Safeguarding and Quality Assurance",
    "Virtual School Headteacher",
    "Head of SEND",
    "Principal Educational Psychologist",
    "Head of Fostering and Adoption",
    "Director of Adult Social Care",
    "Assistant Director, Highways and Transportation",
    "Highway Asset Manager",
    "Chief Finance Officer",
    "Head of Finance (People)",
    "Principal Scrutiny Officer",
    "Independent Reviewing Officer Service Manager",
    "Head of Commissioning",
)
VENUES = ("County Hall", "the Civic Centre", "the Town Hall", "the Council Chamber", "Guildhall")
TIMES = ("10.00 am", "10.30 am", "2.00 pm", "2.30 pm", "4.30 pm", "6.00 pm")

# Standing items that open a set of minutes: (heading, body).
STANDING_ITEMS = (
    ("Apologies", "Apologies for absence were received from Councillor {member}."),
    (
        "Declarations of Interest",
        "Councillor {member} declared a personal interest in minute {minute_next} as a "
        "governor of a local school.",
    ),
    (
        "Minutes",
        "RESOLVED: That the minutes of the meeting held on {prev_date} be confirmed as a "
        "correct record and signed by the Chair.",
    ),
)

# Each topic: titles for its agenda item or report, sentences for its paragraphs, points
# members raise, and what the committee resolves or is recommended to do.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "ilacs": {
        "titles": (
            "Ofsted Inspection of Local Authority Children's Services (ILACS): Outcome and Action Plan",
            "Ofsted Focused Visit: Children in Need and Child Protection",
            "Children's Services Improvement Plan Update",
            "Ofsted Monitoring Visit Feedback",
        ),
        "sentences": (
            "The {role} reported that Ofsted had judged the overall effectiveness of children's services as {grade} following the inspection in {month} {year}.",
            "Inspectors found that thresholds at the front door were {quality} applied, and that {pct} of contacts progressed to a referral within one working day.",
            "The report set out {n} recommendations from the inspection and the actions taken against each of them.",
            "Management oversight of casework had improved, with {pct} of case files audited in {fy} showing supervision recorded within the required timescale.",
            "Caseloads for social workers in the assessment teams averaged {small} children, down from {small2} a year earlier.",
            "The monitoring visit in {month} {year} had noted progress in the quality of child protection plans, although the voice of the child was not yet consistently recorded.",
            "Agency social workers made up {pct} of the workforce, and the recruitment and retention strategy aimed to reduce this to {pct2} by March {year_next}.",
            "The Improvement Board had met {small} times during the year and had received a report on each strand of the plan.",
        ),
        "points": (
            "the consistency of threshold decisions in the multi-agency safeguarding hub",
            "how the views of children and families had informed the action plan",
            "the reliance on agency staff and the cost of the market supplement",
            "the timescale for the next full inspection",
            "whether the audit programme tested the quality of practice as well as compliance",
        ),
        "resolutions": (
            "the outcome of the inspection and the action plan be noted",
            "a progress report on the improvement plan be brought to the meeting in {month} {year_next}",
            "the Committee's thanks to staff for their work during the inspection be recorded",
        ),
    },
    "lac": {
        "titles": (
            "Looked After Children and Care Leavers: Annual Performance Report {fy}",
            "Corporate Parenting Strategy {year}-{year_next}",
            "Children Missing from Care: Quarterly Report",
            "Independent Reviewing Officer Annual Report {fy}",
        ),
        "sentences": (
            "At the end of {month} {year} the Council looked after {num} children, a rate of {rate} per 10,000 children compared with a national rate of {rate2}.",
            "The proportion of children looked after with three or more placements in the year was {pct}, against a target of {pct2}.",
            "Care leavers in suitable accommodation had risen to {pct}, and {pct2} were in education, employment or training.",
            "The {role} explained that {small} children had been reported missing from care during the quarter, and that return home interviews were offered in every case.",
            "Review meetings held within timescale had reached {pct}, and the Independent Reviewing Officers had raised {small} formal escalations.",
            "The Corporate Parenting Board had agreed a pledge to care leavers which included free travel and council tax exemption up to the age of 25.",
            "Personal education plans were completed for {pct} of looked after children of school age in the autumn term.",
        ),
        "points": (
            "the stability of placements for teenagers placed at a distance from home",
            "the council tax exemption for care leavers living outside the area",
            "how many care leavers were not in education, employment or training",
            "the role of elected members as corporate parents",
        ),
        "resolutions": (
            "the annual report be noted and the priorities for {fy} be endorsed",
            "a six-monthly report on children missing from care be added to the work programme",
            "the Corporate Parenting Strategy be recommended to Cabinet for approval",
        ),
    },
    "placements": {
        "titles": (
            "Placement Sufficiency Strategy {year}-{year_next}",
            "Foster Carer Recruitment and Retention Plan",
            "Residential Children's Homes: Commissioning Update",
        ),
        "sentences": (
            "The sufficiency strategy set out the Council's duty to secure sufficient accommodation for looked after children within the local area.",
            "The average weekly cost of an independent residential placement had risen to {money_small}, compared with {money_small2} for an in-house foster placement.",
            "The service had approved {small} new fostering households during {fy}, while {small2} had resigned or retired.",
            "{pct} of children in care were placed more than twenty miles from home, and the strategy aimed to bring this below {pct2}.",
            "Cabinet had approved capital of {money} to open two small children's homes in the county.",
            "The fostering allowance would rise by {pct_small} from April, in line with the national minimum allowance.",
        ),
        "points": (
            "the use of unregistered placements and the steps taken to end them",
            "the marketing campaign for foster carers and its cost per enquiry",
            "the timetable for opening the new children's homes",
        ),
        "resolutions": (
            "the Placement Sufficiency Strategy be approved",
            "the increase in fostering allowances be agreed with effect from 1 April {year_next}",
        ),
    },
    "send": {
        "titles": (
            "Special Educational Needs and Disabilities (SEND): Written Statement of Action Progress",
            "Education, Health and Care Plans: Timeliness and Quality",
            "High Needs Block: Deficit Management Plan",
            "SEND Local Area Inspection: Outcome",
        ),
        "sentences": (
            "The Head of SEND reported that {pct} of new Education, Health and Care Plans had been issued within the statutory 20 weeks in {year}, against a national figure of {pct2}.",
            "Requests for an EHC needs assessment had increased by {pct_small} on the previous year, to {num}.",
            "The High Needs Block deficit stood at {money} at the end of {fy} and was forecast to reach {money2} without further action.",
            "The Council had joined the Department for Education's Delivering Better Value programme, which offered grant funding of {money_small}.",
            "Annual reviews completed within timescale had improved to {pct}, and a quality assurance framework for plans had been introduced.",
            "Additional places for children with autism and social, emotional and mental health needs would open in {small} resourced provisions from September.",
        ),
        "points": (
            "the delays in educational psychology advice and the use of locum psychologists",
            "the number of appeals to the SEND Tribunal and their outcomes",
            "home to school transport costs for children with EHC plans",
            "how parents and carers had been involved in the written statement of action",
        ),
        "resolutions": (
            "the progress against the written statement of action be noted",
            "the High Needs deficit management plan be submitted to the Department for Education",
        ),
    },
    "budget": {
        "titles": (
            "Revenue Budget Monitoring: Quarter {quarter} {fy}",
            "Medium Term Financial Strategy {year}-{year_next}",
            "Children's Services Overspend: Recovery Plan",
            "Capital Programme Update",
        ),
        "sentences": (
            "The {role} reported a forecast overspend of {money} on the {fy} revenue budget, of which {money2} related to children's social care placements.",
            "Savings of {money} had been identified for {fy}, and {pct} of them were on track to be delivered.",
            "The general fund balance stood at {money}, which was within the range the Chief Finance Officer considered prudent.",
            "The capital programme for the year totalled {money}, with slippage of {money2} into the following year.",
            "Council tax would rise by {pct_small}, including the adult social care precept.",
            "The report set out the financial risks, including pay awards, inflation in contract prices and demand for placements.",
        ),
        "points": (
            "the reliance on reserves to balance the budget",
            "the deliverability of the savings proposals for children's services",
            "the impact of inflation on the capital programme",
        ),
        "resolutions": (
            "the forecast outturn position be noted",
            "the virements set out in Appendix {appendix} be approved",
            "Cabinet be asked to consider the recovery plan at its meeting on {next_date}",
        ),
    },
    "highways": {
        "titles": (
            "Highway Safety Inspection Regime",
            "Highways Asset Management Plan {year}-{year_next}",
            "Winter Service Plan {fy}",
            "Potholes and Carriageway Repairs: Performance Report",
        ),
        "sentences": (
            "The {role} explained that category 1 defects were made safe within 24 hours and permanently repaired within 28 days.",
            "{pct} of scheduled safety inspections had been completed on time during {fy}.",
            "The Council had repaired {num} potholes in the year at a cost of {money}.",
            "The winter service treated {small}0 kilometres of priority routes, and salt stocks stood at {num} tonnes at the start of the season.",
            "Highway claims received in the year numbered {small}0, and {pct} had been successfully defended.",
            "The Department for Transport had awarded {money} from the Incentive Fund, reflecting the Council's Band {band} self-assessment.",
        ),
        "points": (
            "the intervention depth for potholes on rural lanes",
            "the condition of footways in town centres",
            "whether parish councils could report defects directly",
        ),
        "resolutions": (
            "the Highways Asset Management Plan be approved",
            "the Winter Service Plan for {fy} be endorsed",
        ),
    },
    "adults": {
        "titles": (
            "Adult Social Care: Market Sustainability and Fair Cost of Care",
            "Better Care Fund Plan {fy}",
            "Adult Social Care Performance and Assurance Report",
        ),
        "sentences": (
            "The Director of Adult Social Care reported that {num} people were receiving long-term support, of whom {pct} were supported in their own homes.",
            "Delayed discharges from hospital had fallen by {pct_small}, helped by the discharge to assess service.",
            "The fee uplift for residential care providers would be {pct_small} for {fy}, at a cost of {money}.",
            "Waiting lists for Care Act assessments stood at {num}, and {pct} of people were assessed within 28 days.",
            "The Better Care Fund pooled budget of {money} supported reablement, carers' breaks and disabled facilities grants.",
        ),
        "points": (
            "recruitment and retention of care workers in rural areas",
            "the readiness of the service for the Care Quality Commission assessment",
            "support for unpaid carers",
        ),
        "resolutions": (
            "the Better Care Fund Plan be approved for submission",
            "the fee uplifts for {fy} be agreed",
        ),
    },
}

GENERIC_SENTENCES = (
    "The {role} introduced the report and answered members' questions.",
    "Members welcomed the report and thanked the {role} for the clarity of the data.",
    "In response to a question from Councillor {member}, the {role} confirmed that the figures would be reported to the next meeting.",
    "The Chair noted that the Committee had last considered this matter on {prev_date}.",
    "A briefing note would be circulated to members before the next meeting.",
    "The position would be reviewed in {month} {year_next} in the light of the latest national data.",
)

# Openings that make a template sentence read differently from one paper to the next (real
# papers repeat a sentence verbatim mostly when the same report goes to two meetings).
LEAD_INS = (
    "In {month} {year}, ",
    "At the end of quarter {quarter}, ",
    "As the {role} explained, ",
    "Since the meeting on {prev_date}, ",
    "In {fy}, ",
    "In answer to Councillor {member}, it was noted that ",
    "Compared with {year}, ",
    "Following the report to the meeting on {prev_date}, ",
)

GRADES = ("good", "requires improvement to be good", "inadequate", "outstanding")
QUALITIES = ("consistently", "not always", "appropriately", "inconsistently")
