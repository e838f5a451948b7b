"""demo_load: the two campaigns, stage by stage, each through the same services the office
uses (see the package's docstring for what they show)."""

import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reviews.models import Campaign, CampaignStage
from reviews.services import STAGE_ORDER, campaign_update
from subjects.models import LiaisonCommittee, Unit
from subjects.services import duty_reports_distribute, liaison_committee_set_users
from surveys.models import Deputy

from ..reminders import reminders_sweep
from .briefings import briefing_write
from .people import DEMO_PASSWORD, demo_people
from .preliminary import DEPUTIES, assessment, investigation_reports_submit, questionnaire
from .preparation import (
    BATCH_SUBJECTS,
    COMMITTEES,
    COUNTY_SUBJECTS,
    FIN,
    UNITS,
    CampaignPlan,
    batch_campaign_name,
    batch_dates,
    batch_reports_collect,
    campaign_build,
    county_campaign_name,
    county_dates,
    county_reports_collect,
    move_to,
    report_deadlines_set,
    stage_for,
)
from .rectification import rectification
from .review import meeting_and_ballot, practice_ballot_open

TERM = "县十七届人大常委会"


def _reached(target: str, stage: str) -> bool:
    return STAGE_ORDER.index(target) >= STAGE_ORDER.index(stage)


@transaction.atomic
def demo_load(today: datetime.date | None = None) -> tuple[Campaign, bool]:
    """Build the demo once; a second run finds it and changes nothing.

    Returns the county campaign and whether it was created now.
    """
    today = today or timezone.localdate()
    year = today.year
    existing = Campaign.objects.filter(name=county_campaign_name(year)).first()
    if existing:
        return existing, False

    password_hash = make_password(DEMO_PASSWORD)
    people = demo_people(password_hash)
    office = people["office"]
    units = {
        name: Unit.objects.get_or_create(name=name, defaults={"organ_type": kind})[0]
        for name, kind in UNITS
    }
    committees = {name: LiaisonCommittee.objects.get_or_create(name=name)[0] for name in COMMITTEES}
    liaison_committee_set_users(actor=office, committee=committees[FIN], users=[people["liaison"]])
    common = {
        "office": office,
        "year": year,
        "today": today,
        "units": units,
        "committees": committees,
        "password_hash": password_hash,
    }
    deputies = [Deputy.objects.get_or_create(name=n, delegation=d)[0] for n, d in DEPUTIES]
    county = _county(people, deputies, common)
    _batch(people, deputies, common)
    briefing_write(county, office=office, today=today)
    # Reminders due today, as the hourly sweep would send them.
    reminders_sweep(today=today)
    return county, True


def _county(people: dict, deputies: list, common: dict) -> Campaign:
    """1. The county campaign. Reports are collected while uploads are open, then its
    deadlines are recorded and it moves on to the stage the calendar says."""
    office, today, year = common["office"], common["today"], common["year"]
    dates = county_dates(year)
    county, subjects = campaign_build(
        CampaignPlan(county_campaign_name(year), TERM, dates, COUNTY_SUBJECTS), **common
    )
    target = stage_for(today, dates)
    # Seed 000's county: the director's meeting decides on rectification reports, after
    # the assessment groups have checked them.
    county = campaign_update(
        actor=office,
        campaign=county,
        rectification_conclusion="directors_meeting",
        groups_oversee_rectification=True,
    )
    if _reached(target, CampaignStage.REVIEW):
        # Four groups as in seed 002, each led by a committee leader, three subjects each.
        assessment(
            county,
            subjects,
            [
                ("第一履职初评小组", "director", ["m03", "m04"], [0, 3, 7]),
                ("第二履职初评小组", "m02", ["m05", "m06"], [1, 8, 9]),
                ("第三履职初评小组", "m07", ["m08", "m09"], [2, 10, 11]),
                ("第四履职初评小组", "m10", ["m11", "m12"], [4, 5, 6]),
            ],
            office=office,
            users=people,
            held_on=dates[CampaignStage.PRELIMINARY][0] + datetime.timedelta(days=10),
            submit=True,
            heard=True,
        )
        questionnaire(county, office=office, deputies=deputies, answered=10, close=True, seed=2017)
        county_reports_collect(subjects, office)
        duty_reports_distribute(actor=office, campaign=county)
        # The review ballot opens in the review stage (ballots.services.ballot_open).
        report_deadlines_set(county, office)
        county = move_to(county, CampaignStage.REVIEW, office)
        meeting_and_ballot(
            county,
            subjects,
            office=office,
            users=people,
            held_on=dates[CampaignStage.REVIEW][0],
            seed=2017,
        )
        if _reached(target, CampaignStage.RECTIFICATION):
            rectification(county, subjects, office=office, users=people, today=today, dates=dates)
    if county.report_draft_due is None:
        report_deadlines_set(county, office)
    return move_to(county, target, office)


def _batch(people: dict, deputies: list, common: dict) -> Campaign:
    """2. The second batch: reports are being collected now."""
    office, today, year = common["office"], common["today"], common["year"]
    dates = batch_dates(today)
    batch, (education, industry, health, rural) = campaign_build(
        CampaignPlan(batch_campaign_name(year), TERM, dates, BATCH_SUBJECTS),
        **common,
    )
    batch_reports_collect(industry, health, rural, office)
    # Four groups, one subject each, as in seed 002. The demo `member` sits in the first,
    # led by `director`; its report on 周文华 (the `subject` login) is still to be written.
    assessment(
        batch,
        [education, industry, health, rural],
        [
            ("第一评议调查组", "director", ["member", "m03"], [0]),
            ("第二评议调查组", "m02", ["m05", "m06"], [1]),
            ("第三评议调查组", "m07", ["m08", "m09"], [2]),
            ("第四评议调查组", "m10", ["m11", "m12"], [3]),
        ],
        office=office,
        users=people,
        held_on=today - datetime.timedelta(days=3),
        submit=False,
        heard=False,
    )
    investigation_reports_submit([industry, rural])
    questionnaire(batch, office=office, deputies=deputies, answered=10, close=False, seed=2023)
    report_deadlines_set(batch, office)
    batch = move_to(batch, stage_for(today, dates), office)
    practice_ballot_open(batch, office=office, users=people)
    return batch
