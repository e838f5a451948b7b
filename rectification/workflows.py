"""The one table per stateful entity of rectification: review opinion, rectification plan,
rectification report and the kept versions of plans and reports.

Each move names its roles, the access rule (`rectification_acts_for`: the office and the
director's meeting on every subject, a review subject only on their own, a liaison
committee only on the subjects it liaises with), its guard, the service that makes it,
the form its POST is read through and its message; its audit action is
`<workflow.action>.<target>`. The actions that are not moves (组织测评, 登记测评结论,
主任会议决定, 检查意见, 延期) say who, in which states and under which guard, and the
audit action their service writes. Each entity says when it is editable and by whom.

Services call `transition()` (which checks the move, its access rule and guard under the
row lock), `workflow.edit_check()` before they edit, and `workflow.action_check()` before
an action; pages ask `capabilities()`; the generic move view (core.object_views) runs a
move by its row here. A rule changes here, and only here.
"""

from ballots.models import BallotStatus
from ballots.selectors import ballot_results_visible
from core.forms import DateForm, ReasonForm
from core.roles import Role, user_has_role
from core.workflow import Action, Move, Workflow

from .audit import AuditAction
from .forms import PlanForm, ReportForm
from .models import (
    OpinionStatus,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    RectificationVersion,
    ReviewOpinion,
    VersionStatus,
)
from .selectors import rectification_acts_for, rectification_edit_version, rectification_group_for

OFFICE, DIRECTORS, LIAISON, SUBJECT = (
    Role.OFFICE,
    Role.DIRECTORS_MEETING,
    Role.LIAISON,
    Role.SUBJECT,
)
ORDERS = (OFFICE, DIRECTORS)  # the director's meeting's decisions, recorded by either
DECIDES_PLANS = (OFFICE, LIAISON)

_S = "rectification.services."


def _acts_for(user, obj, roles) -> bool:
    return rectification_acts_for(user, obj.subject, roles)


# --- Forms of the moves: (data, files, subject) -> the bound form -------------------------
class OpinionApprovedForm(DateForm):
    def service_kwargs(self) -> dict:
        return {"approved_on": self.cleaned_data["date"]}


class OpinionDeliveredForm(DateForm):
    def service_kwargs(self) -> dict:
        return {"delivered_on": self.cleaned_data["date"]}


def _reason(data, files, subject):
    return ReasonForm(data)


def _per_problem(form_class):
    def make(data, files, subject):
        return form_class(
            data,
            files,
            problems=subject.opinion.problems.all(),
            version=rectification_edit_version(subject),
        )

    return make


# --- Review opinion --------------------------------------------------------------------
def opinion_letter_readable(user, opinion: ReviewOpinion) -> bool:
    """The opinion letter: the office at any time, the others once the meeting approved it
    (a draft opinion is office-only)."""
    return user_has_role(user, OFFICE) or opinion.status != OpinionStatus.DRAFT


OPINION_WORKFLOW = Workflow(
    noun="评议意见",
    action="review_opinion",
    model=ReviewOpinion,
    access=_acts_for,
    moves=(
        Move(
            OpinionStatus.DRAFT,
            OpinionStatus.APPROVED,
            "登记主任会议通过",
            ORDERS,
            name="approve_opinion",
            refusal="只有评议办公室或主任会议成员可以登记主任会议通过评议意见。",
            service=f"{_S}review_opinion_approve",
            form=lambda data, files, subject: OpinionApprovedForm(data),
            done="已登记主任会议通过。",
        ),
        Move(
            OpinionStatus.APPROVED,
            OpinionStatus.DELIVERED,
            "登记送达",
            confirm="登记送达后，整改方案和整改情况报告的报送期限即从送达日起算，不能撤销。确定登记？",
            name="deliver_opinion",
            refusal="只有评议办公室工作人员可以登记送达。",
            service=f"{_S}review_opinion_deliver",
            form=lambda data, files, subject: OpinionDeliveredForm(data),
            done="已登记送达。",
        ),
    ),
    actions=(Action(name="read_letter", label="阅读评议意见书", may=opinion_letter_readable),),
    labels=dict(OpinionStatus.choices),
    # Problems are added while the opinion is a draft, by the office.
    edit_name="edit_opinion",
    edit_states=(OpinionStatus.DRAFT,),
    editors=(OFFICE,),
    edit_refusal="只有评议办公室工作人员可以修改评议意见。",
    flags={"opinion_approved": (OpinionStatus.APPROVED, OpinionStatus.DELIVERED)},
)


# --- Rectification plan ----------------------------------------------------------------
_SUBMIT_PLAN = {
    "roles": (SUBJECT,),
    "name": "submit_plan",
    "refusal": "只有评议对象本人可以填写和报送整改方案。",
    "service": f"{_S}rectification_plan_submit",
    "form": _per_problem(PlanForm),
    "done": "整改方案已报送{obj.liaison_committee.name}。",
}
_DECIDE_PLAN = "整改方案由{obj.subject.liaison_committee.name}审核。"

PLAN_WORKFLOW = Workflow(
    noun="整改方案",
    action="rectification_plan",
    model=RectificationPlan,
    access=_acts_for,
    moves=(
        Move(PlanStatus.DRAFT, PlanStatus.SUBMITTED, "报送整改方案", **_SUBMIT_PLAN),
        Move(PlanStatus.RETURNED, PlanStatus.SUBMITTED, "重新报送整改方案", **_SUBMIT_PLAN),
        Move(
            PlanStatus.SUBMITTED,
            PlanStatus.APPROVED,
            "通过",
            DECIDES_PLANS,
            confirm="通过后整改方案即确定，评议对象按方案整改并报送整改情况报告。确定通过？",
            name="approve_plan",
            refusal=_DECIDE_PLAN,
            service=f"{_S}rectification_plan_approve",
            done="整改方案已通过。",
        ),
        Move(
            PlanStatus.SUBMITTED,
            PlanStatus.RETURNED,
            "退回",
            DECIDES_PLANS,
            name="return_plan",
            refusal=_DECIDE_PLAN,
            service=f"{_S}rectification_plan_return",
            form=_reason,
            done="整改方案已退回。",
        ),
    ),
    actions=(
        Action(
            name="extend_plan",
            label="延期",
            states=(PlanStatus.DRAFT, PlanStatus.RETURNED),
            refusal="只有评议办公室工作人员可以延期。",
            service=f"{_S}rectification_deadline_extend",
            audit=(AuditAction.RECTIFICATION_EXTEND,),
        ),
    ),
    labels=dict(PlanStatus.choices),
    edit_name="edit_plan",
    edit_states=(PlanStatus.DRAFT, PlanStatus.RETURNED),
    editors=(SUBJECT,),
    edit_refusal="只有评议对象本人可以填写和报送整改方案。",
    flags={"plan_approved": (PlanStatus.APPROVED,), "plan_returned": (PlanStatus.RETURNED,)},
)


# --- Rectification report --------------------------------------------------------------
def _plan_approved(report: RectificationReport) -> str:
    plan = RectificationPlan.objects.filter(subject_id=report.subject_id).first()
    if plan is None or plan.status != PlanStatus.APPROVED:
        return "整改方案通过后才能填报整改情况。"
    return ""


def _not_put_to_members(report: RectificationReport) -> str:
    return "整改情况报告已提请组成人员测评，不能再退回。" if report.ballot_id else ""


def _by_meeting(report: RectificationReport) -> bool:
    return report.subject.campaign.rectification_conclusion == "directors_meeting"


def _assessable(report: RectificationReport) -> str:
    if _by_meeting(report):
        return "本次评议活动的整改情况由主任会议决定，不组织测评。"
    if report.ballot_id:
        return "只有已报送、尚未测评的整改情况报告可以组织测评。"
    return ""


def _assessed(report: RectificationReport) -> str:
    """The assessment ballot is over and published (a conclusion is itself a verdict:
    recorded before publication it would show the result while the ballot is sealed)."""
    ballot = report.ballot
    if ballot is None or ballot.status not in (BallotStatus.CLOSED, BallotStatus.PUBLISHED):
        return "整改情况满意度测评尚未结束。"
    if not ballot_results_visible(ballot):
        return "整改情况满意度测评结果尚未公布，公布后才能登记测评结论。"
    if not ballot.is_valid:
        return f"测评无效：{ballot.invalid_reason} 请重新组织测评。"
    return ""


def _decided_by_meeting(report: RectificationReport) -> str:
    if not _by_meeting(report):
        return "本次评议活动的整改情况由组成人员满意度测评，不由主任会议决定。"
    return ""


def _checks_group(user, report: RectificationReport) -> bool:
    return rectification_group_for(user, report.subject) is not None


REPORT_WORKFLOW = Workflow(
    noun="整改情况报告",
    action="rectification_report",
    model=RectificationReport,
    access=_acts_for,
    moves=(
        Move(
            RectificationReportStatus.DRAFT,
            RectificationReportStatus.SUBMITTED,
            "报送整改情况报告",
            (SUBJECT,),
            name="submit_report",
            guard=_plan_approved,
            refusal="只有评议对象本人可以报送整改情况报告。",
            service=f"{_S}rectification_report_submit",
            form=_per_problem(ReportForm),
            done="整改情况报告已报送。",
        ),
        Move(
            RectificationReportStatus.SUBMITTED,
            RectificationReportStatus.DRAFT,
            "退回",
            DECIDES_PLANS,
            name="return_report",
            guard=_not_put_to_members,
            refusal="整改情况报告由{obj.subject.liaison_committee.name}或评议办公室退回。",
            service=f"{_S}rectification_report_return",
            form=_reason,
            done="整改情况报告已退回修改。",
        ),
        # Made by the conclusion of the assessment or by the director's meeting (actions).
        Move(
            RectificationReportStatus.SUBMITTED,
            RectificationReportStatus.SATISFIED,
            "登记满意",
            ORDERS,
        ),
        Move(
            RectificationReportStatus.SUBMITTED,
            RectificationReportStatus.CONTINUED,
            "责成继续整改",
            ORDERS,
        ),
    ),
    actions=(
        Action(
            name="assess",
            label="组织整改情况满意度测评",
            states=(RectificationReportStatus.SUBMITTED,),
            guard=_assessable,
            refusal="只有评议办公室工作人员可以组织整改情况满意度测评。",
            service=f"{_S}rectification_assessment_open",
            audit=(AuditAction.RECTIFICATION_ASSESS,),
        ),
        Action(
            name="conclude",
            label="登记测评结论",
            roles=ORDERS,
            states=(RectificationReportStatus.SUBMITTED,),
            guard=_assessed,
            refusal="只有评议办公室或主任会议成员可以登记测评结论。",
            service=f"{_S}rectification_assessment_conclude",
            audit=(
                "rectification_report.satisfied",
                "rectification_report.continued",
                AuditAction.RECTIFICATION_CONTINUED,
            ),
        ),
        Action(
            name="decide",
            label="登记主任会议决定",
            roles=ORDERS,
            states=(RectificationReportStatus.SUBMITTED,),
            guard=_decided_by_meeting,
            refusal="只有评议办公室或主任会议成员可以登记主任会议决定。",
            service=f"{_S}rectification_meeting_decide",
            audit=(
                AuditAction.RECTIFICATION_MEETING_DECISION,
                "rectification_report.satisfied",
                "rectification_report.continued",
                AuditAction.RECTIFICATION_CONTINUED,
            ),
        ),
        Action(
            name="check",
            label="提出检查意见",
            states=(RectificationReportStatus.SUBMITTED,),
            may=_checks_group,
            refusal="只有负责检查督促该评议对象整改的履职初评小组可以提出检查意见。",
            service=f"{_S}rectification_check_record",
            audit=(AuditAction.RECTIFICATION_CHECK,),
        ),
        Action(
            name="extend_report",
            label="延期",
            states=(RectificationReportStatus.DRAFT,),
            refusal="只有评议办公室工作人员可以延期。",
            service=f"{_S}rectification_deadline_extend",
            audit=(AuditAction.RECTIFICATION_EXTEND,),
        ),
    ),
    labels=dict(RectificationReportStatus.choices),
    edit_name="edit_report",
    edit_states=(RectificationReportStatus.DRAFT,),
    editors=(SUBJECT,),
    edit_guard=_plan_approved,
    edit_refusal="只有评议对象本人可以填写整改情况报告。",
)


# --- Versions of plans and reports -----------------------------------------------------
# A version is decided together with its plan or report, whose move is the one checked and
# recorded; the version's move is made by transition() too (check_roles=False, audit=False).
VERSION_WORKFLOW = Workflow(
    noun="报送版本",
    action="rectification_version",
    model=RectificationVersion,
    moves=tuple(
        Move(VersionStatus.SUBMITTED, target, label, (*DECIDES_PLANS, DIRECTORS))
        for target, label in (
            (VersionStatus.APPROVED, "通过"),
            (VersionStatus.RETURNED, "退回"),
            (VersionStatus.SATISFIED, "登记满意"),
            (VersionStatus.CONTINUED, "责成继续整改"),
        )
    ),
    labels=dict(VersionStatus.choices),
)

WORKFLOWS = (OPINION_WORKFLOW, PLAN_WORKFLOW, REPORT_WORKFLOW, VERSION_WORKFLOW)


def rectification_capabilities(user, *, opinion, plan, report) -> dict:
    """Everything the subject's rectification page may offer `user` now, by name
    (caps.submit_plan, caps.return_report, caps.edit_plan, caps.plan_approved …)."""
    return (
        OPINION_WORKFLOW.capabilities(opinion, user)
        | PLAN_WORKFLOW.capabilities(plan, user)
        | REPORT_WORKFLOW.capabilities(report, user)
    )
