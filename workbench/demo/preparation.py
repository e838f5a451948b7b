"""Preparation (准备阶段): the county's units and liaison committees, the two campaigns'
plans (their subjects and stage dates), each campaign created with its implementation
plan and subjects, its report deadlines, its stage moves, and the duty reports collected
through the subjects' uploads and the office's review."""

import datetime
from dataclasses import dataclass

from core.roles import Role
from reviews.models import TERM_YEARS, Campaign, CampaignStage
from reviews.services import (
    STAGE_ORDER,
    campaign_create,
    campaign_implementation_plan_attach,
    campaign_stage_move,
)
from subjects.models import OrganType, ReportKind, ReviewForm
from subjects.services import (
    campaign_report_deadlines_set,
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    report_deadlines_suggested,
    subject_create,
)

from . import files
from .people import COMPOSITION_SIZE, demo_user

UNITS = [
    ("县人民政府", OrganType.GOVERNMENT),
    ("县人民法院", OrganType.COURT),
    ("县人民检察院", OrganType.PROCURATORATE),
    ("县发展和改革委员会", OrganType.GOVERNMENT),
    ("县人力资源和社会保障局", OrganType.GOVERNMENT),
    ("县应急管理局", OrganType.GOVERNMENT),
    ("县民族宗教事务局", OrganType.GOVERNMENT),
    ("县统计局", OrganType.GOVERNMENT),
    ("县教育局", OrganType.GOVERNMENT),
    ("县工业和信息化局", OrganType.GOVERNMENT),
    ("县卫生健康委员会", OrganType.GOVERNMENT),
    ("县乡村振兴局", OrganType.GOVERNMENT),
]
COMMITTEES = [
    "法制工作委员会",
    "财政经济工作委员会",
    "社会建设工作委员会",
    "教育科学文化卫生工作委员会",
]

ON, WR = ReviewForm.ON_SITE, ReviewForm.WRITTEN
FIN, LAW, SOC, EDU = COMMITTEES[1], COMMITTEES[0], COMMITTEES[2], COMMITTEES[3]

# (username, name, unit, post, appointed: (years before the campaign, month, day), form, committee)
# All have served 3+ years in post, the seed's rule for being chosen.
COUNTY_SUBJECTS = [
    ("s01", "林海波", "县人民政府", "常务副县长", (-4, 9, 1), ON, FIN),
    ("s02", "唐晓云", "县人民法院", "副院长", (-5, 3, 15), ON, LAW),
    ("s03", "伍光明", "县人民检察院", "副检察长", (-4, 1, 10), ON, LAW),
    ("s04", "金立新", "县发展和改革委员会", "主任", (-3, 3, 1), ON, FIN),
    ("s05", "蒋文博", "县人力资源和社会保障局", "局长", (-4, 6, 20), ON, SOC),
    ("s06", "朱志强", "县应急管理局", "局长", (-3, 1, 8), ON, SOC),
    ("s07", "贾厚德", "县民族宗教事务局", "局长", (-4, 11, 11), WR, SOC),
    ("s08", "胡培林", "县统计局", "局长", (-5, 8, 1), WR, FIN),
    ("s09", "吴银松", "县人民法院", "立案庭庭长", (-4, 4, 1), WR, LAW),
    ("s10", "戴永清", "县人民法院", "民二庭庭长", (-3, 2, 17), WR, LAW),
    ("s11", "郑洲明", "县人民检察院", "检察员", (-5, 12, 1), WR, LAW),
    ("s12", "戚玉海", "县人民检察院", "检察员", (-4, 7, 1), WR, LAW),
]
BATCH_SUBJECTS = [
    ("subject", "周文华", "县教育局", "局长", (-4, 2, 1), ON, EDU),
    ("b02", "孙立业", "县工业和信息化局", "局长", (-3, 5, 6), ON, FIN),
    ("b03", "钱卫民", "县卫生健康委员会", "主任", (-4, 9, 9), WR, EDU),
    ("b04", "郭振兴", "县乡村振兴局", "局长", (-3, 4, 12), WR, FIN),
]


@dataclass
class CampaignPlan:
    name: str
    term: str
    dates: dict
    subjects: list


def county_campaign_name(year: int) -> str:
    return f"{year}年度县人大常委会述职评议"


def batch_campaign_name(year: int) -> str:
    return f"{year}年度县人大常委会述职评议（第二批）"


def county_dates(year: int) -> dict:
    d = datetime.date
    return {
        CampaignStage.PREPARATION: (d(year, 8, 1), d(year, 8, 19)),
        CampaignStage.PRELIMINARY: (d(year, 8, 20), d(year, 9, 20)),
        CampaignStage.REVIEW: (d(year, 9, 21), d(year, 9, 30)),
        CampaignStage.RECTIFICATION: (d(year, 10, 1), d(year, 11, 30)),
    }


def batch_dates(today: datetime.date) -> dict:
    """The review meeting 15 days ahead: reports are due around today."""
    day = lambda n: today + datetime.timedelta(days=n)  # noqa: E731
    return {
        CampaignStage.PREPARATION: (day(-40), day(-21)),
        CampaignStage.PRELIMINARY: (day(-20), day(14)),
        CampaignStage.REVIEW: (day(15), day(20)),
        CampaignStage.RECTIFICATION: (day(21), day(110)),
    }


def stage_for(today: datetime.date, dates: dict) -> str:
    """The stage whose window holds today, so the demo's timeline reads true on any day."""
    current = CampaignStage.PREPARATION
    for kind, (start, _end) in dates.items():
        if today >= start:
            current = kind
    return current


def campaign_build(
    plan: CampaignPlan, *, office, year: int, today: datetime.date, units, committees, password_hash
):
    campaign = campaign_create(
        actor=office,
        name=plan.name,
        year=year,
        term=plan.term,
        # Terms run five years from 2022 (县十七届: 2022—2026), so the demo's campaigns
        # fill the 届内履职评议档案 whatever year it is loaded in.
        term_start_year=year - (year - 2022) % TERM_YEARS,
        composition_size=COMPOSITION_SIZE,
        issuing_office="县人大常委会述职评议工作领导小组办公室",
        stage_dates=plan.dates,
    )
    campaign_implementation_plan_attach(
        actor=office,
        campaign=campaign,
        document=files.demo_pdf(
            "述职评议工作实施方案.pdf", f"{plan.name}实施方案", ["（演示数据）"]
        ),
        approved_on=min(today, plan.dates[CampaignStage.PREPARATION][0]),
    )
    subjects = []
    for position, (username, name, unit, post, appointed, form, committee) in enumerate(
        plan.subjects, start=1
    ):
        # The login exists first (hashing the password once for all), then is attached.
        demo_user(username, name, Role.SUBJECT, password_hash)
        subject, _ = subject_create(
            actor=office,
            campaign=campaign,
            person_name=name,
            post=post,
            unit=units[unit],
            appointed_on=datetime.date(year + appointed[0], appointed[1], appointed[2]),
            review_form=form,
            liaison_committee=committees[committee],
            username=username,
            position=position,
        )
        subjects.append(subject)
    return campaign, subjects


def move_to(campaign: Campaign, stage: str, office) -> Campaign:
    campaign.refresh_from_db()
    start = STAGE_ORDER.index(campaign.stage) + 1
    for next_stage in STAGE_ORDER[start : STAGE_ORDER.index(stage) + 1]:
        campaign_stage_move(actor=office, campaign=campaign, to_stage=next_stage)
    campaign.refresh_from_db()
    return campaign


def report_deadlines_set(campaign: Campaign, office) -> None:
    draft, final = report_deadlines_suggested(campaign.review_meeting_date())
    campaign_report_deadlines_set(actor=office, campaign=campaign, draft_due=draft, final_due=final)


def county_reports_collect(subjects: list, office) -> None:
    """Every county subject's final report accepted (a draft first for every fourth; the
    fifth's final returned once and uploaded again)."""
    for i, subject in enumerate(subjects):
        if i % 4 == 0:
            draft = duty_report_upload(
                actor=subject.user,
                subject=subject,
                kind=ReportKind.DRAFT,
                upload=files.duty_report_pdf(subject, ReportKind.DRAFT),
            )
            duty_report_accept(actor=office, version=draft)
        final = duty_report_upload(
            actor=subject.user,
            subject=subject,
            kind=ReportKind.FINAL,
            upload=files.duty_report_pdf(subject, ReportKind.FINAL),
        )
        if i == 4:
            duty_report_return(
                actor=office,
                version=final,
                reason="报告写成了单位工作总结，请突出本人履职情况，补充存在的不足。",
            )
            final = duty_report_upload(
                actor=subject.user,
                subject=subject,
                kind=ReportKind.FINAL,
                upload=files.duty_report_pdf(subject, ReportKind.FINAL),
            )
        duty_report_accept(actor=office, version=final)


def batch_reports_collect(industry, health, rural, office) -> None:
    """Reports being collected now: industry's draft and final accepted, health's final
    awaiting review, rural's returned (education's, the `subject` login's, missing)."""
    for version in (
        duty_report_upload(
            actor=industry.user,
            subject=industry,
            kind=ReportKind.DRAFT,
            upload=files.duty_report_pdf(industry, ReportKind.DRAFT),
        ),
        duty_report_upload(
            actor=industry.user,
            subject=industry,
            kind=ReportKind.FINAL,
            upload=files.duty_report_pdf(industry, ReportKind.FINAL),
        ),
    ):
        duty_report_accept(actor=office, version=version)
    duty_report_upload(
        actor=health.user,
        subject=health,
        kind=ReportKind.FINAL,
        upload=files.duty_report_pdf(health, ReportKind.FINAL),
    )
    returned = duty_report_upload(
        actor=rural.user,
        subject=rural,
        kind=ReportKind.FINAL,
        upload=files.duty_report_pdf(rural, ReportKind.FINAL),
    )
    duty_report_return(
        actor=office, version=returned, reason="请补充接受人大监督、办理代表建议的情况。"
    )
