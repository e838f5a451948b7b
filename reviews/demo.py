"""A demo campaign shaped like the 2017 county campaign of seed 000, with invented people."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.roles import Role, user_add_role
from subjects.models import LiaisonCommittee, OrganType, ReviewForm, Unit
from subjects.services import liaison_committee_set_users, subject_create

from .models import Campaign, CampaignStage, Member
from .services import STAGE_ORDER, campaign_create, campaign_plan_attach, campaign_stage_move

DEMO_PASSWORD = "demo12345"
COMPOSITION_SIZE = 27

UNITS = [
    ("县人民政府", OrganType.GOVERNMENT),
    ("县人民法院", OrganType.COURT),
    ("县人民检察院", OrganType.PROCURATORATE),
    ("县发展和改革委员会", OrganType.GOVERNMENT),
    ("县人力资源和社会保障局", OrganType.GOVERNMENT),
    ("县应急管理局", OrganType.GOVERNMENT),
    ("县民族宗教事务局", OrganType.GOVERNMENT),
    ("县统计局", OrganType.GOVERNMENT),
]
COMMITTEES = ["法制工作委员会", "财政经济工作委员会", "社会建设工作委员会"]

# (username, name, unit, post, appointed (years before the campaign, month, day), form,
# liaison committee): 6 on-site and 6 written, all 3+ years in post as the seed's rule asks.
SUBJECTS = [
    (
        "s01",
        "林海波",
        "县人民政府",
        "常务副县长",
        (-4, 9, 1),
        ReviewForm.ON_SITE,
        "财政经济工作委员会",
    ),
    ("s02", "唐晓云", "县人民法院", "副院长", (-5, 3, 15), ReviewForm.ON_SITE, "法制工作委员会"),
    (
        "s03",
        "伍光明",
        "县人民检察院",
        "副检察长",
        (-4, 1, 10),
        ReviewForm.ON_SITE,
        "法制工作委员会",
    ),
    (
        "subject",
        "金立新",
        "县发展和改革委员会",
        "主任",
        (-3, 3, 1),
        ReviewForm.ON_SITE,
        "财政经济工作委员会",
    ),
    (
        "s05",
        "蒋文博",
        "县人力资源和社会保障局",
        "局长",
        (-4, 6, 20),
        ReviewForm.ON_SITE,
        "社会建设工作委员会",
    ),
    (
        "s06",
        "朱志强",
        "县应急管理局",
        "局长",
        (-3, 1, 8),
        ReviewForm.ON_SITE,
        "社会建设工作委员会",
    ),
    (
        "s07",
        "贾厚德",
        "县民族宗教事务局",
        "局长",
        (-4, 11, 11),
        ReviewForm.WRITTEN,
        "社会建设工作委员会",
    ),
    ("s08", "胡培林", "县统计局", "局长", (-5, 8, 1), ReviewForm.WRITTEN, "财政经济工作委员会"),
    (
        "s09",
        "吴银松",
        "县人民法院",
        "立案庭庭长",
        (-4, 4, 1),
        ReviewForm.WRITTEN,
        "法制工作委员会",
    ),
    (
        "s10",
        "戴永清",
        "县人民法院",
        "民二庭庭长",
        (-3, 2, 17),
        ReviewForm.WRITTEN,
        "法制工作委员会",
    ),
    ("s11", "郑洲明", "县人民检察院", "检察员", (-5, 12, 1), ReviewForm.WRITTEN, "法制工作委员会"),
    ("s12", "戚玉海", "县人民检察院", "检察员", (-4, 7, 1), ReviewForm.WRITTEN, "法制工作委员会"),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["建国", "秀英", "志刚", "丽华", "国强", "红梅", "海涛", "春燕", "立军", "玉兰"]

LOGINS = [
    ("评议办公室工作人员", "office"),
    ("述职评议工作领导小组（组长）", "leader"),
    ("主任会议成员", "director"),
    ("常委会组成人员", "member"),
    ("评议对象（县发改委主任）", "subject"),
    ("联系委室（财政经济工作委员会）", "liaison"),
]


def _stage_dates(year: int) -> dict:
    d = datetime.date
    return {
        CampaignStage.PREPARATION: (d(year, 8, 1), d(year, 8, 19)),
        CampaignStage.PRELIMINARY: (d(year, 8, 20), d(year, 9, 20)),
        CampaignStage.REVIEW: (d(year, 9, 21), d(year, 9, 30)),
        CampaignStage.RECTIFICATION: (d(year, 10, 1), d(year, 11, 30)),
    }


def _stage_for(today: datetime.date, dates: dict) -> str:
    """The stage whose window holds today, so the demo's timeline reads true on any day."""
    current = CampaignStage.PREPARATION
    for kind, (start, _end) in dates.items():
        if today >= start:
            current = kind
    return current


def _plan_document() -> SimpleUploadedFile:
    # A minimal valid PDF stands in for the approved work plan.
    body = io.BytesIO()
    body.write(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n")
    body.write(b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return SimpleUploadedFile("述职评议工作实施方案.pdf", body.getvalue(), "application/pdf")


def _user(username: str, name: str, role: Role, password_hash: str, *, staff: bool = False):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"first_name": name, "password": password_hash, "is_staff": staff},
    )
    user_add_role(user=user, role=role)
    return user


def demo_campaign_name(year: int) -> str:
    return f"{year}年度县人大常委会述职评议"


@transaction.atomic
def demo_load(today: datetime.date | None = None) -> tuple[Campaign, bool]:
    """Build the demo once; a second run finds it and changes nothing. Returns (campaign, created)."""
    today = today or timezone.localdate()
    year = today.year
    existing = Campaign.objects.filter(name=demo_campaign_name(year)).first()
    if existing:
        return existing, False

    password_hash = make_password(DEMO_PASSWORD)
    office = _user("office", "柏晓洁", Role.OFFICE, password_hash, staff=True)
    leader = _user("leader", "姚玉成", Role.LEADING_GROUP, password_hash, staff=True)
    director = _user("director", "王恒明", Role.DIRECTORS_MEETING, password_hash)
    liaison = _user("liaison", "陈蓬远", Role.LIAISON, password_hash)

    people = [(leader, "常委会主任"), (director, "常委会副主任")]
    for i in range(COMPOSITION_SIZE - len(people)):
        username = "member" if i == 0 else f"m{i + 1:02d}"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        people.append((_user(username, name, Role.MEMBER, password_hash), "常委会委员"))
    for position, (user, title) in enumerate(people, start=1):
        user_add_role(user=user, role=Role.MEMBER)
        Member.objects.get_or_create(
            user=user, defaults={"name": user.first_name, "title": title, "position": position}
        )
    # One non-voting attendee, as committees have: not counted in the composition.
    attendee = _user("m99", "赵列席", Role.MEMBER, password_hash)
    Member.objects.get_or_create(
        user=attendee,
        defaults={
            "name": "赵列席",
            "title": "列席人员",
            "counts_toward_composition": False,
            "position": 99,
        },
    )

    units = {}
    for name, organ_type in UNITS:
        units[name], _ = Unit.objects.get_or_create(name=name, defaults={"organ_type": organ_type})
    committees = {name: LiaisonCommittee.objects.get_or_create(name=name)[0] for name in COMMITTEES}
    liaison_committee_set_users(
        actor=office, committee=committees["财政经济工作委员会"], users=[liaison]
    )

    dates = _stage_dates(year)
    campaign = campaign_create(
        actor=office,
        name=demo_campaign_name(year),
        year=year,
        term="县十七届人大常委会",
        composition_size=COMPOSITION_SIZE,
        issuing_office="县人大常委会述职评议工作领导小组办公室",
        stage_dates=dates,
    )
    campaign_plan_attach(
        actor=office,
        campaign=campaign,
        document=_plan_document(),
        approved_on=min(today, dates[CampaignStage.PREPARATION][0]),
    )
    User = get_user_model()
    for position, (username, name, unit, post, appointed, form, committee) in enumerate(
        SUBJECTS, start=1
    ):
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
            password=DEMO_PASSWORD,
            position=position,
        )
    User.objects.filter(username__in=[s[0] for s in SUBJECTS]).update(password=password_hash)

    target = _stage_for(today, dates)
    for stage in STAGE_ORDER[1 : STAGE_ORDER.index(target) + 1]:
        campaign_stage_move(actor=office, campaign=campaign, to_stage=stage)
    campaign.refresh_from_db()
    return campaign, True
