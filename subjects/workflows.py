"""The one table of the duty report (述职报告): its versions' moves, and the actions on a
subject's or a campaign's duty reports that are not moves.

A version moves submitted → accepted | returned (the office's review), or submitted →
superseded when its subject uploads a newer version of the same kind before the review.
Each move names its roles, the access rule (`subject_acts_for`, in subjects.access: the
office on every subject, a review subject only on their own), its guard, the service that
makes it, the form its POST is read through and its message; its audit action is
`duty_report.<target>`. The actions (上传, 分发, 催报) say who, when and under which guard,
and the audit actions their service writes.

A version is never edited: it is replaced by a newer upload (the `upload` action, on the
subject) while it waits for review, by the subject itself; so the table names no editable
state. Services call `transition()` (which checks the move, its access rule and guard under
the row lock) and `action_check()` before an action; pages ask `capabilities()`; the
generic move view (core.object_views) runs a move by its row here.
"""

from django.db.models import Model

from core.forms import ReasonForm
from core.roles import Role, user_has_role
from core.workflow import Action, Move, Workflow, capabilities
from reviews.models import Campaign, CampaignStage

from .access import subject_acts_for
from .audit import AuditAction
from .models import DutyReportStatus, DutyReportVersion, ReportKind, Subject

OFFICE, SUBJECT = Role.OFFICE, Role.SUBJECT

# Reports are written in preparation and read before the meeting; after it, uploads close.
UPLOAD_STAGES = (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY, CampaignStage.REVIEW)

_S = "subjects.services."
_OFFICE_ONLY = "只有评议办公室工作人员可以进行此项操作。"


def _subject_of(obj: Model) -> Subject:
    return obj if isinstance(obj, Subject) else obj.subject


def _acts_for(user, obj, roles) -> bool:
    """The access rule: on a version or on a subject, by the subject it belongs to."""
    return subject_acts_for(user, _subject_of(obj), roles)


def _campaign_of(obj: Model) -> Campaign:
    return obj if isinstance(obj, Campaign) else _subject_of(obj).campaign


def _office(user, obj) -> bool:
    return user_has_role(user, OFFICE)


def _accepted_final(subject: Subject) -> bool:
    return DutyReportVersion.objects.filter(
        subject=subject, kind=ReportKind.FINAL, status=DutyReportStatus.ACCEPTED
    ).exists()


# --- Guards: (obj) -> the refusal when closed now -----------------------------------------
# (A second accepted final is refused by the database: duty_report_accept says so.)
def _upload_open(obj: Subject | DutyReportVersion) -> str:
    subject = _subject_of(obj)
    campaign = subject.campaign
    if campaign.stage not in UPLOAD_STAGES:
        return f"“{campaign.name}”已进入{campaign.get_stage_display()}，述职报告已停止上传。"
    if _accepted_final(subject):
        return "您的述职报告定稿已被接受并锁定，不能再上传新的版本。"
    return ""


def _not_distributed(obj: Model) -> str:
    campaign = _campaign_of(obj)
    if campaign.reports_distributed_at:
        return "本次评议的述职报告已经分发。"
    if not DutyReportVersion.objects.filter(
        subject__campaign=campaign, kind=ReportKind.FINAL, status=DutyReportStatus.ACCEPTED
    ).exists():
        return "还没有已接受的述职报告定稿，无法分发。"
    return ""


def _collecting(obj: Model) -> str:
    campaign = _campaign_of(obj)
    return "" if campaign.stage in UPLOAD_STAGES else "述职报告已不在收交期内，无需催报。"


DUTY_REPORT_WORKFLOW = Workflow(
    noun="该版本",
    audit_noun="述职报告",
    action="duty_report",
    model=DutyReportVersion,
    access=_acts_for,
    moves=(
        Move(
            DutyReportStatus.SUBMITTED,
            DutyReportStatus.ACCEPTED,
            "接受",
            (OFFICE,),
            name="accept_duty_report",
            refusal=_OFFICE_ONLY,
            service=f"{_S}duty_report_accept",
            done="已接受{obj.title}。",
        ),
        Move(
            DutyReportStatus.SUBMITTED,
            DutyReportStatus.RETURNED,
            "退回",
            (OFFICE,),
            name="return_duty_report",
            refusal=_OFFICE_ONLY,
            service=f"{_S}duty_report_return",
            form=lambda data, files, version: ReasonForm(data),
            done="已退回{obj.title}。",
        ),
        # A newer upload of the same kind replaces a version still waiting for review
        # (made by the upload service).
        Move(
            DutyReportStatus.SUBMITTED,
            DutyReportStatus.SUPERSEDED,
            "替换",
            (SUBJECT,),
            refusal="只有评议对象本人可以上传自己的述职报告。",
        ),
    ),
    actions=(
        # On the subject: the subject itself, while the campaign collects reports and no
        # final is accepted.
        Action(
            name="upload_duty_report",
            label="上传述职报告",
            roles=(SUBJECT,),
            guard=_upload_open,
            refusal="只有评议对象本人可以上传自己的述职报告。",
            service=f"{_S}duty_report_upload",
            audit=(AuditAction.DUTY_REPORT_UPLOAD_DRAFT, AuditAction.DUTY_REPORT_UPLOAD_FINAL),
        ),
        # On the campaign: the office.
        Action(
            name="distribute_duty_reports",
            label="分发述职报告",
            guard=_not_distributed,
            may=_office,
            refusal=_OFFICE_ONLY,
            service=f"{_S}duty_reports_distribute",
            audit=(AuditAction.DUTY_REPORT_DISTRIBUTE,),
        ),
        Action(
            name="remind_duty_reports",
            label="催报述职报告",
            guard=_collecting,
            may=_office,
            refusal=_OFFICE_ONLY,
            service=f"{_S}duty_reports_remind",
            audit=(AuditAction.DUTY_REPORT_REMIND,),
        ),
    ),
    labels=dict(DutyReportStatus.choices),
    # Never edited: a version waiting for review is replaced by a newer upload (the
    # `upload_duty_report` action and the 替换 move), an accepted or returned one is kept.
    edit_states=(),
    editors=(),
    flags={
        "duty_report_returned": (DutyReportStatus.RETURNED,),
        "duty_report_waiting": (DutyReportStatus.SUBMITTED,),
    },
)


def duty_report_may(user, obj, name: str) -> bool:
    """Whether `user` may take the named action on `obj` (a subject or a campaign) now."""
    step = DUTY_REPORT_WORKFLOW.named(name)
    return DUTY_REPORT_WORKFLOW.may(user, obj, step) and not DUTY_REPORT_WORKFLOW.closed(obj, step)


def duty_report_capabilities(user, version: DutyReportVersion | None) -> dict:
    """What `user` may do now on one version (caps.accept_duty_report,
    caps.return_duty_report, caps.duty_report_returned …); all closed for None."""
    return capabilities(version, user, DUTY_REPORT_WORKFLOW)


def duty_report_moves(user, version: DutyReportVersion | None) -> dict:
    """The named moves `user` may make on `version` now, by name (for the list's buttons)."""
    if version is None:
        return {}
    return {m.name: m for m in DUTY_REPORT_WORKFLOW.moves_for(version, user) if m.name}
