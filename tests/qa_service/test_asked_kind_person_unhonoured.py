"""A person named without an honorific: the asked-kind check's reading of a name (stop 32, a37).

A labelled check of ``shows(text, Kind.PERSON)``: sentences quoted from the three shared
corpora (``../shared/<set>/corpus/<file>``, as the service's loaders read them), each with
its source.  The first list names an officer or a member without an honorific (in
apposition with an office, in brackets, after a dash, in a signature block or a table's
columns, after "Present:", "Officers:"); the second names nobody, though most
name an office ("The Planning Officer spoke to the application ...") or print two
capitalised words beside one ("Lower Wye Valley Building Preservation Trust – Clerk had
contacted ...").  Without the reading of an unhonoured name every sentence of the first
list reads as no person shown.  docs/quality.md, "Abstention, stop 32: a person named
without an honorific".
"""

from __future__ import annotations

import pytest

from qa_service.answer_kind import Kind
from qa_service.asked_kind_shown import PERSON_NAME, UNHONOURED_NAME, kind_unshown, shows

NAMED = [
    # real-dev-set/corpus/thurrock_domiciliary_care_charging_item.txt
    "Catherine Wilson, Strategic Lead Commissioning and Procurement, presented the report",
    # real-dev-set/corpus/rotherham_send_sufficiency_update_item.txt
    (
        "Consideration was given to the report presented by Mark Cummins, SEND "
        "Transformation Project Lead which provided an update"
    ),
    # real-dev-set/corpus/wirral_environment_climate_emergency_policy_2021-03-16.txt
    "Mike Cockburn, Head of the Environment and Climate Emergency Service, introduced the report",
    # real-dev-set/corpus/royal_sutton_coldfield_tc_alcs_2018-03-13_minutes.pdf
    "Olive O’Sullivan – Town Clerk, Becki Leonard - Assistant Town Clerk",
    # real-dev-set/corpus/royal_sutton_coldfield_tc_2017-02-21_item166_summer_in_sutton_report.pdf
    "Olive O’Sullivan\nActing Town Clerk",
    # real-dev-set/corpus/lincolnshire_adults_scrutiny_care_fee_levels_minutes.txt
    "Contact: Catherine Wilman  Democratic Services Officer",
    # real-dev-set/corpus/tintern_cc_2018-10-29_minutes.pdf
    "Report back from meeting with Planning Enforcements Officer: Amy Longford,",
    # real-dev-set/corpus/southend_people_scrutiny_send_followup_minutes_final.txt
    "Contact: S. Tautz (Principal Democratic Services Officer)",
    # real-dev-set/corpus/merton_audit_committee_2009-10-22_agenda_pack.pdf
    "Caroline Holland (Director of Corporate Services), Grant Miles",
    # real-dev-set/corpus/merton_audit_committee_2009-10-22_agenda_pack.pdf
    "PRESENT: Dave Roberts (Chairman), Councillors Angela Caldara and",
    # dev-set/corpus/quarrington-improvement-board-2022-03-15-notes.txt
    "Gareth Lowther - Chief Executive",
    # dev-set/corpus/northmoor-improvement-board-2016-10-18-notes.html
    "Richard Dyson (Chief Executive); Claire Ormerod (Director of Children's Services)",
    # dev-set/corpus/quarrington-cyp-scrutiny-2025-02-04-agenda-pack.pdf
    "Contact officer: Gillian Oyelaran, Assistant Director, Education and Inclusion",
    # dev-set/corpus/oakhaven-planning-committee-2020-08-11-minutes.txt
    (
        "OFFICERS: Alison Treharne (Head of Planning and Building Control), Jonathan "
        "Mayhew (Development Management Team Leader)"
    ),
    # dev-set/corpus/
    #   ravensholt-corporate-parenting-board-2019-11-21-virtual-school-annual-report.docx
    "Director: Stephen Marwood, Director of Children’s Services",
    # dev-set/corpus/oakhaven-audit-governance-2024-01-30-childrens-overspend-report.pdf
    (
        "Contact officers: Graham Whitlock, Director of Finance; Deborah Lacey, Director "
        "of Children's Services"
    ),
    # dev-set/corpus/northmoor-cyp-scrutiny-2023-09-19-agenda-pack.pdf
    "Author Stuart Feather, Designated Officer (LADO)",
    # dev-set/corpus/northmoor-cabinet-2019-03-12-placement-sufficiency-report.pdf
    "Report of Claire Ormerod, Corporate Director, Children and Families",
    # dev-set-2/corpus/kelsworth-cabinet-2024-02-13-agenda-pack.pdf
    "Report of Deborah Firth, Director of Finance",
    # dev-set-2/corpus/wendmere-communities-scrutiny-2022-11-15-minutes.txt
    (
        "Officers: Martin Gosling (Community Services Manager), Kay Ridout (Community "
        "Safety Officer) and Susan Marlow (Democratic Services Officer)"
    ),
    # dev-set-2/corpus/lindenport-adults-health-scrutiny-2024-06-11-cqc-assessment-report.txt
    "Note by the Director of Adult Social Care, Gillian Rowe, for the Committee:",
    # dev-set-2/corpus/kelsworth-full-council-2019-07-17-minutes.html
    "Contact: Janet Whiteley, Democratic Services Manager, 01632 960441",
    # dev-set-2/corpus/sellbridge-pension-fund-committee-2023-06-27-minutes.txt
    "Officers: Susan Harker (Director of Finance), Graham Tulloch (Head of Pensions)",
    # dev-set-2/corpus/wendmere-cabinet-2021-11-09-local-plan-report.txt
    "Report of: Dominic Keyes, Head of Planning",
]

NAMES_NOBODY = [
    # real-dev-set/corpus/blaenau_gwent_planning_surgery_road_blaina_item.txt
    (
        "The Planning Officer spoke to the application and advised that the site formed "
        "part of the garden of"
    ),
    # real-dev-set/corpus/belfast_council_monthly_meeting_mid8749_minutes.txt
    "The Chief Executive submitted the summons convening the meeting",
    # real-dev-set/corpus/exeter_executive_temporary_accommodation_policy_item.txt
    (
        "In response to questions raised by Executive Members, the Strategic Director "
        "for People and Communities advised that:"
    ),
    # real-dev-set/corpus/leicester_asc_scrutiny_2013-10-10_work_programme.txt
    (
        "In respect of the Domiciliary Care Plan, the Chair commented that she was keen "
        "to take this forward"
    ),
    # real-dev-set/corpus/lincolnshire_adults_scrutiny_care_fee_levels_minutes.txt
    "The Chief Executive reported that having received a notice under Regulation 13",
    # real-dev-set/corpus/merton_audit_committee_2009-10-22_agenda_pack.pdf
    "In respect of Care First the Director of Corporate Services confirmed that action had",
    # real-dev-set/corpus/milburn_pc_2021-01-26_minutes.pdf
    "The Clerk checked the following day and was advised that the",
    # real-dev-set/corpus/royal_sutton_coldfield_tc_2017-02-21_item166_summer_in_sutton_report.pdf
    "That the Acting Town Clerk be delegated to apply for formal permission from",
    # real-dev-set/corpus/royal_sutton_coldfield_tc_alcs_2018-03-13_minutes.pdf
    (
        "Under item 4(v) of the Town Council Standing Orders, the Town Clerk advised "
        "Committee that for this"
    ),
    # real-dev-set/corpus/royal_sutton_coldfield_tc_alcs_2018-03-13_minutes.pdf
    "The Town Clerk presented the proposal from St James Church for the Hope for Sutton Project,",
    # real-dev-set/corpus/royal_sutton_coldfield_tc_alcs_2018-03-13_minutes.pdf
    (
        "Trim Trail\nThe Assistant Town Clerk advised that all equipment is now in place "
        "but fenced off for"
    ),
    # real-dev-set/corpus/royal_sutton_coldfield_tc_alcs_2018-03-13_minutes.pdf
    "The Chairman advised that Birmingham City Council is responsible for this service.",
    # real-dev-set/corpus/southend_send_peer_review_issue_history.txt
    "The Executive Director (Children and Public Health) undertook to provide a written response",
    # real-dev-set/corpus/tendring_cabinet_2024-01-26_housing_policies.txt
    (
        "Cabinet considered a report of the Housing & Planning Portfolio Holder (A.5), "
        "which sought its approval and adoption of three new/revised housing policies."
    ),
    # real-dev-set/corpus/tintern_cc_2021-03-29_minutes.html
    (
        "DM/2018/01912- Land to south of former Abbey Hotel - The Planning Officer has "
        "continuing concerns over the new build"
    ),
    # real-dev-set/corpus/tintern_cc_2021-03-29_minutes.html
    "However, the Planning Enforcement Officer had already opened a case to investigate breaches",
    # real-dev-set/corpus/tintern_cc_2018-10-29_minutes.pdf
    "Japanese Knotweed on The Leytons Field – Clerk spoke to the manager of The Anchor Inn",
    # real-dev-set/corpus/tintern_cc_2019-05-20_minutes.pdf
    "Lower Wye Valley Building Preservation Trust – Clerk had contacted two Valuers, one of",
    # real-dev-set/corpus/kirklees_holme_park_court_demolition_decision.html
    "Decision Maker: Service Director - Homes & Neighbourhoods",
    # real-dev-set/corpus/milburn_pc_2019-09-03_minutes.pdf
    "Eden District Council     Uncontested Election Costs       £ 105.00",
    # real-dev-set/corpus/hillingdon_send_sufficiency_strategy_item.txt
    (
        "Officers presented the draft SEND Sufficiency Strategy, developed over several "
        "months with extensive analysis."
    ),
    # dev-set-2/corpus/kelsworth-adults-health-scrutiny-2022-10-11-minutes.txt
    (
        "On NHS Health Checks, the Director of Public Health reported that the programme "
        "had restarted in full in 2021"
    ),
    # real-dev-set/corpus/breckland_allocations_policy_decision_2020-03-20.txt
    "Allocations Policy (D19 20)",
]


@pytest.mark.parametrize("text", NAMED)
def test_a_person_named_without_an_honorific_is_shown(text: str) -> None:
    assert UNHONOURED_NAME.search(text)
    assert shows(text, Kind.PERSON)


def test_the_honorific_alone_reads_few_of_them() -> None:
    # the reading before this one (a35's): only the list of those present whose members are
    # "Councillors"
    assert sum(bool(PERSON_NAME.search(t)) for t in NAMED) == 1


@pytest.mark.parametrize("text", NAMES_NOBODY)
def test_an_office_or_a_body_without_a_name_shows_no_person(text: str) -> None:
    assert not shows(text, Kind.PERSON)


@pytest.mark.parametrize(
    "text",
    [
        # a name in prose with no office beside it is not read (a dictionary of given names
        # would be needed): tintern_cc_2018-10-29_minutes.pdf
        "The Bay Cottage – Following a meeting with Amy Longford and Three Councillors where",
        # a paper's contact, a field of its front matter naming whom to ask about the papers,
        # is not read by its head alone ("which cabinet member answered ...?" is no question
        # the clerk answers): lancashire_childrens_services_scrutiny_2019-05-13_minutes.txt
        "Contact: Samantha Parker  Email:  sam.parker@lancashire.gov.uk",
    ],
)
def test_a_name_with_no_office_beside_it_is_not_read(text: str) -> None:
    assert not shows(text, Kind.PERSON)


def test_which_officer_is_not_refused_where_the_officer_is_named_without_an_honorific() -> None:
    question = "Which officer presented the report on domiciliary care charging at Thurrock?"
    shown = NAMED[0]
    assert kind_unshown(question, shown, shown) == 0.0
    # the near miss stays caught: an office named, no person
    nobody = "The Planning Officer spoke to the application and advised that the site formed"
    assert kind_unshown(question, nobody, nobody) == 1.0
