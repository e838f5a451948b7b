"""Demo data: two campaigns built through the same services the office uses.

1. A county campaign shaped like the 2017 one of seed 000: 12 subjects (6 on-site,
   6 written), the four stages in Aug–Nov of the current year, its stage following the
   calendar. Its duty reports were accepted and distributed before the meeting.
2. A second, smaller batch shaped like the district campaign of seed 002 (education,
   industry, health, rural revitalisation), placed around today so that its reports are
   being collected now: one missing, one accepted, one awaiting review, one returned.

People are invented. Every login has the password DEMO_PASSWORD.
"""

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ballots.browser import sheet_for, teller_decrypt, teller_key_file, tellers_make_keys
from ballots.models import Ballot, BallotPurpose, BallotStatus
from ballots.services import (
    agenda_item_create,
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    inquiry_answer,
    inquiry_submit,
    meeting_create,
)
from ballots.services.cast import ballot_cast_code
from ballots.services.codes import voting_codes_issue
from core.roles import Role, user_add_role
from rectification.models import ProblemSource
from rectification.services import (
    rectification_check_record,
    rectification_meeting_decide,
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_save,
    rectification_report_submit,
    reporting_step_done,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from reviews.models import TERM_YEARS, Campaign, CampaignStage, Member
from reviews.services import (
    STAGE_ORDER,
    campaign_create,
    campaign_implementation_plan_attach,
    campaign_stage_move,
    campaign_update,
)
from subjects.models import LiaisonCommittee, OrganType, ReportKind, ReviewForm, Subject, Unit
from subjects.services import (
    campaign_report_deadlines_set,
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    duty_reports_distribute,
    liaison_committee_set_users,
    report_deadlines_suggested,
    subject_create,
)
from surveys.groups import subject_group
from surveys.models import (
    AccessMode,
    ActivityKind,
    Deputy,
    FindingKind,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
)
from surveys.services import (
    activity_record,
    codes_issue_to_deputies,
    finding_add,
    group_create,
    investigation_report_mark_heard,
    investigation_report_prefill,
    investigation_report_save,
    investigation_report_submit,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
    response_submit,
    subjects_assign,
)

from .models import BriefingBlock
from .reminders import reminders_sweep
from .services.briefings import briefing_create, briefing_render_request

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

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["建国", "秀英", "志刚", "丽华", "国强", "红梅", "海涛", "春燕", "立军", "玉兰"]

LOGINS = [
    ("评议办公室工作人员", "office"),
    ("述职评议工作领导小组（组长）", "leader"),
    ("主任会议成员", "director"),
    ("常委会组成人员", "member"),
    ("评议对象（县教育局局长，述职报告待上传）", "subject"),
    ("联系委室（财政经济工作委员会）", "liaison"),
]


@dataclass
class _Plan:
    name: str
    term: str
    dates: dict
    subjects: list


def county_campaign_name(year: int) -> str:
    return f"{year}年度县人大常委会述职评议"


def batch_campaign_name(year: int) -> str:
    return f"{year}年度县人大常委会述职评议（第二批）"


def _county_dates(year: int) -> dict:
    d = datetime.date
    return {
        CampaignStage.PREPARATION: (d(year, 8, 1), d(year, 8, 19)),
        CampaignStage.PRELIMINARY: (d(year, 8, 20), d(year, 9, 20)),
        CampaignStage.REVIEW: (d(year, 9, 21), d(year, 9, 30)),
        CampaignStage.RECTIFICATION: (d(year, 10, 1), d(year, 11, 30)),
    }


def _batch_dates(today: datetime.date) -> dict:
    """The review meeting 15 days ahead: reports are due around today."""
    day = lambda n: today + datetime.timedelta(days=n)  # noqa: E731
    return {
        CampaignStage.PREPARATION: (day(-40), day(-21)),
        CampaignStage.PRELIMINARY: (day(-20), day(14)),
        CampaignStage.REVIEW: (day(15), day(20)),
        CampaignStage.RECTIFICATION: (day(21), day(110)),
    }


def _stage_for(today: datetime.date, dates: dict) -> str:
    """The stage whose window holds today, so the demo's timeline reads true on any day."""
    current = CampaignStage.PREPARATION
    for kind, (start, _end) in dates.items():
        if today >= start:
            current = kind
    return current


def _pdf(filename: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    """A real, readable PDF for the demo, rendered with the CJK fonts the app installs."""
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        "<html><head><style>@page { size: A4; margin: 2.5cm }"
        "body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei'; font-size: 14pt }"
        "h1 { text-align: center; font-size: 20pt }</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return SimpleUploadedFile(filename, HTML(string=html).write_pdf(), "application/pdf")


def plan_rows(subject, time_limit: datetime.date) -> dict:
    """The rows of a demo rectification plan: one measure for each problem of the opinion."""
    return {
        p.pk: {
            "measures": "制定专项方案，明确时间表和责任人，按月调度。",
            "responsible": subject.person_name,
            "time_limit": time_limit,
            "target": "问题按期整改到位",
        }
        for p in subject.opinion.problems.all()
    }


def _report(subject: Subject, kind: str) -> SimpleUploadedFile:
    label = "初稿" if kind == ReportKind.DRAFT else "定稿"
    return _pdf(
        f"{subject.person_name}述职报告（{label}）.pdf",
        "述职报告",
        [
            f"{subject.unit.name}{subject.post}　{subject.person_name}",
            f"（{subject.campaign.name}，{label}）",
            "一、贯彻执行宪法和法律法规情况……",
            "二、履行职责、完成工作任务情况……",
            "三、接受人大监督情况……",
            "四、勤政廉政情况……",
            "五、存在的不足和今后打算……",
            "（本文件为演示数据，由系统生成。）",
        ],
    )


DEPUTIES = [
    ("张玉芬", "城关镇代表组"),
    ("李永生", "城关镇代表组"),
    ("王德明", "马坝镇代表组"),
    ("刘春兰", "马坝镇代表组"),
    ("陈国富", "官滩镇代表组"),
    ("杨桂英", "官滩镇代表组"),
    ("赵振华", "旧铺镇代表组"),
    ("周海燕", "旧铺镇代表组"),
    ("吴建军", "桂五镇代表组"),
    ("徐丽萍", "桂五镇代表组"),
    ("孙志勇", "河桥镇代表组"),
    ("马晓东", "河桥镇代表组"),
]

# What groups found, by content item index: (kind, text). {unit} is the subject's unit.
FINDINGS = [
    (0, FindingKind.ACHIEVEMENT, "依法行政意识较强，重大决策履行了合法性审查程序。"),
    (1, FindingKind.PROBLEM, "{unit}窗口服务效率不高，群众反映办事环节多、时限长。"),
    (2, FindingKind.PROBLEM, "对常委会审议意见的办理反馈不够及时，部分代表建议答复后落实不到位。"),
    (4, FindingKind.SUGGESTION, "建立群众来信来访台账，定期向联系委室通报办理情况。"),
]
TEXT_OPINIONS = [
    "希望进一步提高办事效率。",
    "多深入基层听取群众意见。",
    "对企业的服务要更主动。",
    "",
]


def _assessment(
    campaign: Campaign,
    subjects: list,
    plan: list,
    *,
    office,
    users: dict,
    held_on,
    submit: bool,
    heard: bool,
):
    """Groups per `plan` [(name, leader, members, subject indexes)], one forum each, findings, reports."""
    items = list(campaign.content_items.all())
    groups = []
    for position, (name, leader, members, indexes) in enumerate(plan, start=1):
        group = group_create(
            actor=office,
            campaign=campaign,
            name=name,
            leader=users[leader],
            members=[users[m] for m in members],
            position=position,
        )
        subjects_assign(
            actor=office, campaign=campaign, assignments={subjects[i].pk: group.pk for i in indexes}
        )
        groups.append((group, [subjects[i] for i in indexes]))
    for group, own in groups:
        for subject in own:
            subject.refresh_from_db()
        writer = group.leader
        activity = activity_record(
            actor=writer,
            group=group,
            subjects=own,
            kind=ActivityKind.FORUM,
            held_on=held_on,
            place=f"{own[0].unit.name}会议室",
            participant_count=12,
            participants="服务对象代表、基层干部、企业代表",
            notes="听取意见，查阅相关台账。",
            attachments=[_pdf("座谈会记录.pdf", "座谈会记录", [group.name, "（演示数据）"])],
        )
        activity_record(
            actor=writer,
            group=group,
            subjects=own,
            kind=ActivityKind.QUESTIONNAIRE,
            held_on=held_on,
            place="线上及纸质",
            participant_count=60,
            participants="服务对象、企业",
        )
        for subject in own:
            if subject.user and subject.user.username == "subject":
                continue  # left for the member's own journey in the demo
            for index, kind, text in FINDINGS:
                finding_add(
                    actor=writer,
                    subject=subject,
                    content_item=items[index],
                    kind=kind,
                    text=text.format(unit=subject.unit.name),
                    activity=activity,
                )
            if submit:
                report = investigation_report_save(
                    actor=writer, subject=subject, body=investigation_report_prefill(subject)
                )
                investigation_report_submit(actor=group.leader, report=report)
                if heard:
                    investigation_report_mark_heard(
                        actor=office, report=report, heard_on=timezone.localdate()
                    )
    return [g for g, _ in groups]


def _questionnaire(campaign: Campaign, *, office, deputies, answered: int, close: bool, seed: int):
    """A deputies' questionnaire with `answered` of its codes used."""

    rng = random.Random(seed)
    q = questionnaire_create(
        actor=office,
        campaign=campaign,
        title=f"{campaign.name}人大代表征求意见表",
        access_mode=AccessMode.PERSONAL,
        intro="请对评议对象的履职情况作出评价，并提出意见和建议。",
    )
    codes = codes_issue_to_deputies(actor=office, questionnaire=q, deputies=deputies)
    questionnaire_open(actor=office, questionnaire=q)
    questions = list(q.questions.all())
    for code in codes[:answered]:
        answers = {}
        for question in questions:
            if question.kind == QuestionKind.RATING:
                answers[question.pk] = rng.choices(q.rating_options, weights=[6, 3, 1])[0]
            else:
                answers[question.pk] = rng.choice(TEXT_OPINIONS)
        response_submit(questionnaire=q, answers=answers, code=code.code)
    if close:
        questionnaire_close(actor=office, questionnaire=q)
    return q, codes[answered:]


def _meeting_and_ballot(
    campaign: Campaign, subjects: list, *, office, users: dict, held_on, seed: int
):
    """The review meeting with inquiries, and the ballot cast, counted and published."""

    meeting = meeting_create(
        actor=office,
        campaign=campaign,
        name="县十七届人大常委会第五次会议",
        held_on=held_on,
        place="县人大常委会会议室",
        attendees=list(Member.objects.filter(counts_toward_composition=True)[:24]),
    )
    on_site = [s for s in subjects if s.review_form == ReviewForm.ON_SITE]
    for position, subject in enumerate(on_site, start=1):
        agenda_item_create(actor=office, meeting=meeting, subject=subject, position=position)
    for subject, asker in zip(on_site[:3], ("m03", "m07", "m10"), strict=False):
        inquiry = inquiry_submit(
            actor=users[asker],
            meeting=meeting,
            subject=subject,
            question="针对调查中群众反映的办事时限长问题，下一步有哪些具体措施？",
        )
        inquiry_answer(
            actor=office, inquiry=inquiry, answer="将推行并联审批，压缩办理时限，年底前完成。"
        )
    # A scored ballot (按分值计分, 不了解 outside the base, highest and lowest dropped per
    # group) in which the deputies (seed 002: "各位委员和代表") vote on the web with
    # one-time voting codes, at half the members' weight.
    ballot = ballot_create(
        actor=office,
        campaign=campaign,
        name="述职评议满意度测评",
        meeting=meeting,
        tellers=[users[u] for u in DEMO_TELLERS],
        rule_preset="score_trimmed",
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    deputies = ballot.voter_groups.get(is_committee=False)
    codes = voting_codes_issue(actor=office, ballot=ballot, voter_group=deputies, count=8)
    seeds = _tellers_keys(ballot)
    ballot_open(actor=office, ballot=ballot)
    rng = random.Random(seed)
    voters = [
        m.user for m in Member.objects.filter(counts_toward_composition=True).select_related("user")
    ][:24]

    def choices() -> dict:
        return {
            s.pk: rng.choices(
                [*ballot.options, "不了解"], weights=[7, 3, 1, 1] if i != 4 else [2, 3, 5, 1]
            )[0]
            for i, s in enumerate(subjects)
        }

    for voter in voters:
        ballot_cast(actor=voter, ballot=ballot, sheet=sheet_for(ballot, choices()))
    # Six of the eight slips drawn by deputies are used; two stay unused.
    for code in codes[:6]:
        ballot_cast_code(code=code, sheet=sheet_for(ballot, choices(), deputies))
    ballot = ballot_close(actor=office, ballot=ballot)
    # Two of the three tellers decrypt in the meeting; the third's file stays unused.
    for index in (1, 2):
        ballot = teller_decrypt(ballot, index, seeds[index])
    ballot_publish(actor=office, ballot=ballot)
    return meeting, ballot


DEMO_TELLERS = ("member", "m02", "m03")
DEMO_TELLER_PASSPHRASE = "demo12345"


def demo_tellers_dir() -> Path:
    return Path(settings.DEMO_TELLERS_DIR)


def _tellers_keys(ballot) -> dict:
    """The demo's tellers make their keys as their browsers would, and their key files
    (passphrase demo12345) are written where load_demo says, to try the tellers' page."""
    seeds = tellers_make_keys(ballot)
    folder = demo_tellers_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for teller in ballot.tellers.select_related("user"):
        data = teller_key_file(ballot, teller.index, seeds[teller.index], DEMO_TELLER_PASSPHRASE)
        name = f"{ballot.crypto_id}-监票人{teller.index}-{teller.user.username}.json"
        (folder / name).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return seeds


def _rectification(
    campaign: Campaign, subjects: list, *, office, users: dict, today, dates: dict
) -> None:
    """Opinions approved and delivered after the meeting; plans in every state."""

    meeting_on = dates[CampaignStage.REVIEW][0]
    for step in campaign.reporting_steps.all():
        reporting_step_done(
            actor=office,
            step=step,
            done_on=meeting_on + datetime.timedelta(days=5),
            note="县人大常委会办公室文件",
        )
    delivered_on = min(today, dates[CampaignStage.RECTIFICATION][0] + datetime.timedelta(days=7))
    approved_on = min(delivered_on, dates[CampaignStage.RECTIFICATION][0])
    items = list(campaign.content_items.all())
    liaison = users["liaison"]
    for i, subject in enumerate(subjects):
        opinion = review_opinion_draft(
            actor=office, subject=subject, summary="总体上能够依法履职，工作取得一定成效。"
        )
        if i % 3 == 0:
            review_opinion_problem_add(
                actor=office,
                opinion=opinion,
                content_item=items[3],
                source=ProblemSource.DELIBERATION,
                text="接受询问时对具体问题回答不够具体，整改措施针对性不强。",
            )
        review_opinion_approve(actor=office, opinion=opinion, approved_on=approved_on)
        review_opinion_deliver(actor=office, opinion=opinion, delivered_on=delivered_on)
        subject.refresh_from_db()
        if subject.user.username == "s12":
            continue  # nothing yet: overdue once the month has passed
        rectification_plan_save(
            actor=subject.user,
            subject=subject,
            rows=plan_rows(subject, delivered_on + datetime.timedelta(days=60)),
        )
        rectification_plan_submit(actor=subject.user, subject=subject)
        decider = (
            liaison if subject.liaison_committee.users.filter(pk=liaison.pk).exists() else office
        )
        if subject.user.username == "s04":
            continue  # awaiting the demo liaison committee's decision
        if subject.user.username == "s08":
            rectification_plan_return(
                actor=decider,
                subject=subject,
                reason="整改措施不够具体，请细化到月并明确量化目标。",
            )
            continue
        rectification_plan_approve(actor=decider, subject=subject)
        if subject.user.username == "s01":
            rectification_report_save(
                actor=subject.user,
                subject=subject,
                text="正在按整改方案推进，情况如下。",
                rows={
                    p.pk: {"status": "in_progress", "done": "已完成流程梳理，正在推进。"}
                    for p in subject.opinion.problems.all()
                },
            )
        if subject.user.username in ("s02", "s03"):
            _report_checked(subject)
        if subject.user.username == "s02":
            # Seed 000: "经县人大常委会主任会议决定通过或进一步整改", no ballot.
            rectification_meeting_decide(
                actor=office,
                subject=subject,
                decided_on=timezone.localdate(),
                minutes=_pdf(
                    "主任会议纪要.pdf",
                    "县人大常委会主任会议纪要",
                    [
                        "会议听取了第二履职初评小组关于唐晓云同志整改情况的检查报告。",
                        "会议认为整改措施落实到位，决定通过其整改情况报告。",
                    ],
                ),
                outcome="satisfied",
            )


def _report_checked(subject: Subject) -> None:
    """The subject reports in full; its assessment group checks the report for the
    director's meeting (seed 000: 履职初评小组负责对整改情况进行检查督促)."""
    rectification_report_save(
        actor=subject.user,
        subject=subject,
        text="按照评议意见逐条整改，已全部完成，情况如下。",
        rows={
            p.pk: {"status": "done", "done": "已按整改方案完成，相关制度已印发执行。"}
            for p in subject.opinion.problems.all()
        },
    )
    rectification_report_submit(actor=subject.user, subject=subject)
    rectification_check_record(
        actor=subject_group(subject).leader,
        subject=subject,
        text="小组到单位查阅资料、召开座谈会，逐条核实，整改措施已落实到位。",
    )


def _briefing(campaign: Campaign, *, office, today) -> None:
    """Issue 1 of the campaign's briefing, modelled on seed 000, queued for rendering."""

    blocks = [BriefingBlock.STAGES]
    if Ballot.objects.filter(campaign=campaign, status=BallotStatus.PUBLISHED).exists():
        blocks.append(BriefingBlock.RESULTS)
    briefing = briefing_create(
        actor=office,
        campaign=campaign,
        title="县人大常委会召开国家机关工作人员述职评议工作动员会",
        issuing_office=campaign.issuing_office,
        issued_on=min(today, campaign.stages.get(kind=CampaignStage.PREPARATION).planned_end),
        articles=(
            "## 在全县国家机关工作人员述职评议工作动员会上的讲话（摘要）\n\n"
            "开展述职评议，是人大及其常委会依法履行监督职权的重要形式，目的是促进评议对象勤政廉政、履职为民。\n\n"
            "评议对象要认真写好述职报告，述职报告要自己动手写，突出“我”字，注重“实”字。"
        ),
        editor="柏晓洁",
        reviewer="陈蓬远",
        issuer="王恒明",
        distribution="市人大办、县委办、政府办、政协办，县法院、检察院，存档。",
        blocks=blocks,
    )
    briefing_render_request(actor=office, briefing=briefing)


def _user(username: str, name: str, role: Role, password_hash: str, *, staff: bool = False):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"first_name": name, "password": password_hash, "is_staff": staff},
    )
    user_add_role(user=user, role=role)
    return user


def _people(password_hash: str) -> dict:
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
    users = {u.username: u for u, _ in people}
    return {"office": office, "liaison": liaison, **users}


def _campaign(
    plan: _Plan, *, office, year: int, today: datetime.date, units, committees, password_hash
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
        document=_pdf("述职评议工作实施方案.pdf", f"{plan.name}实施方案", ["（演示数据）"]),
        approved_on=min(today, plan.dates[CampaignStage.PREPARATION][0]),
    )
    subjects = []
    for position, (username, name, unit, post, appointed, form, committee) in enumerate(
        plan.subjects, start=1
    ):
        # The login exists first (hashing the password once for all), then is attached.
        _user(username, name, Role.SUBJECT, password_hash)
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


def _move_to(campaign: Campaign, stage: str, office) -> Campaign:
    campaign.refresh_from_db()
    start = STAGE_ORDER.index(campaign.stage) + 1
    for next_stage in STAGE_ORDER[start : STAGE_ORDER.index(stage) + 1]:
        campaign_stage_move(actor=office, campaign=campaign, to_stage=next_stage)
    campaign.refresh_from_db()
    return campaign


def _set_report_deadlines(campaign: Campaign, office) -> None:
    draft, final = report_deadlines_suggested(campaign.review_meeting_date())
    campaign_report_deadlines_set(actor=office, campaign=campaign, draft_due=draft, final_due=final)


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
    people = _people(password_hash)
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

    # 1. The county campaign. Reports are collected while uploads are open, then its
    #    deadlines are recorded and it moves on to the stage the calendar says.
    county_dates = _county_dates(year)
    county, subjects = _campaign(
        _Plan(county_campaign_name(year), "县十七届人大常委会", county_dates, COUNTY_SUBJECTS),
        **common,
    )
    target = _stage_for(today, county_dates)
    # Seed 000's county: the director's meeting decides on rectification reports, after
    # the assessment groups have checked them.
    county = campaign_update(
        actor=office,
        campaign=county,
        rectification_conclusion="directors_meeting",
        groups_oversee_rectification=True,
    )
    deputies = [Deputy.objects.get_or_create(name=n, delegation=d)[0] for n, d in DEPUTIES]
    if STAGE_ORDER.index(target) >= STAGE_ORDER.index(CampaignStage.REVIEW):
        # Four groups as in seed 002, each led by a committee leader, three subjects each.
        _assessment(
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
            held_on=county_dates[CampaignStage.PRELIMINARY][0] + datetime.timedelta(days=10),
            submit=True,
            heard=True,
        )
        _questionnaire(county, office=office, deputies=deputies, answered=10, close=True, seed=2017)
        for i, subject in enumerate(subjects):
            if i % 4 == 0:
                draft = duty_report_upload(
                    actor=subject.user,
                    subject=subject,
                    kind=ReportKind.DRAFT,
                    upload=_report(subject, ReportKind.DRAFT),
                )
                duty_report_accept(actor=office, version=draft)
            final = duty_report_upload(
                actor=subject.user,
                subject=subject,
                kind=ReportKind.FINAL,
                upload=_report(subject, ReportKind.FINAL),
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
                    upload=_report(subject, ReportKind.FINAL),
                )
            duty_report_accept(actor=office, version=final)
        duty_reports_distribute(actor=office, campaign=county)
        # The review ballot opens in the review stage (ballots.services.ballot_open).
        _set_report_deadlines(county, office)
        county = _move_to(county, CampaignStage.REVIEW, office)
        _meeting_and_ballot(
            county,
            subjects,
            office=office,
            users=people,
            held_on=county_dates[CampaignStage.REVIEW][0],
            seed=2017,
        )
        if STAGE_ORDER.index(target) >= STAGE_ORDER.index(CampaignStage.RECTIFICATION):
            _rectification(
                county, subjects, office=office, users=people, today=today, dates=county_dates
            )
    if county.report_draft_due is None:
        _set_report_deadlines(county, office)
    county = _move_to(county, target, office)

    # 2. The second batch: reports are being collected now.
    batch_dates = _batch_dates(today)
    batch, (education, industry, health, rural) = _campaign(
        _Plan(batch_campaign_name(year), "县十七届人大常委会", batch_dates, BATCH_SUBJECTS),
        **common,
    )
    for version in (
        duty_report_upload(
            actor=industry.user,
            subject=industry,
            kind=ReportKind.DRAFT,
            upload=_report(industry, ReportKind.DRAFT),
        ),
        duty_report_upload(
            actor=industry.user,
            subject=industry,
            kind=ReportKind.FINAL,
            upload=_report(industry, ReportKind.FINAL),
        ),
    ):
        duty_report_accept(actor=office, version=version)
    duty_report_upload(
        actor=health.user,
        subject=health,
        kind=ReportKind.FINAL,
        upload=_report(health, ReportKind.FINAL),
    )
    returned = duty_report_upload(
        actor=rural.user,
        subject=rural,
        kind=ReportKind.FINAL,
        upload=_report(rural, ReportKind.FINAL),
    )
    duty_report_return(
        actor=office, version=returned, reason="请补充接受人大监督、办理代表建议的情况。"
    )
    # Four groups, one subject each, as in seed 002. The demo `member` sits in the first,
    # led by `director`; its report on 周文华 (the `subject` login) is still to be written.
    _assessment(
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
    for subject in (industry, rural):
        group = subject_group(subject)
        report = investigation_report_save(
            actor=group.leader, subject=subject, body=investigation_report_prefill(subject)
        )
        investigation_report_submit(actor=group.leader, report=report)
    _questionnaire(batch, office=office, deputies=deputies, answered=10, close=False, seed=2023)
    _set_report_deadlines(batch, office)
    _move_to(batch, _stage_for(today, batch_dates), office)
    # A practice ballot is open so that members can try voting on their phones.
    practice = ballot_create(
        actor=office,
        campaign=batch,
        name="试投票（测试手机）",
        purpose=BallotPurpose.PRACTICE,
        tellers=[people[u] for u in DEMO_TELLERS],
    )
    _tellers_keys(practice)
    ballot_open(actor=office, ballot=practice)
    _briefing(county, office=office, today=today)
    # Reminders due today, as the hourly sweep would send them.

    reminders_sweep(today=today)
    return county, True


def demo_questionnaire_codes(year: int) -> tuple[str, list[str]] | None:
    """The second batch's open deputies' questionnaire: its link path and two unused codes."""

    q = Questionnaire.objects.filter(
        campaign__name=batch_campaign_name(year), status=QuestionnaireStatus.OPEN
    ).first()
    if q is None:
        return None
    codes = list(q.codes.filter(used=False).values_list("code", flat=True)[:2])
    return f"/q/{q.public_token}/", codes
