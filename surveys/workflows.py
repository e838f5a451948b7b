"""The one table per stateful entity of the preliminary assessment: the investigation report
and the opinion questionnaire.

Each move names its roles, the access rule, its guard, the service that makes it, the
form its POST is read through and its message; its audit action is
`<workflow.action>.<target>`. The actions that are not moves (issuing answer codes) say
who, in which states and under which guard, and the audit action their service writes.
The investigation report says when it is editable and by whom.

The access rule is `group_acts_for`: the office and the director's meeting act by their
roles on every group's work; `Role.MEMBER` among a step's roles stands for the people of
the assessment group the work belongs to (its leader and members, surveys.groups), whatever
their roles. The investigation report is submitted by the group's leader (组长) only.

Services call `transition()` (which checks the move, its access rule and guard under the
row lock), `workflow.edit_check()` before they edit, and `workflow.action_check()` before
an action; pages ask `capabilities()`; the generic move view (core.object_views) runs a
move by its row here. A rule changes here, and only here.
"""

from core.forms import ReasonForm, version_of
from core.roles import Role, user_has_role
from core.workflow import Action, Move, Workflow

from .audit import AuditAction
from .forms import HeardForm, ReportBodyForm
from .groups import is_group_member
from .models import (
    AccessMode,
    InvestigationReport,
    InvestigationReportStatus,
    Questionnaire,
    QuestionnaireStatus,
)

OFFICE, DIRECTORS, GROUP = Role.OFFICE, Role.DIRECTORS_MEETING, Role.MEMBER

_S = "surveys.services."


def group_acts_for(user, obj, roles: tuple[Role, ...]) -> bool:
    """The one access rule of the preliminary assessment (see the module's docstring):
    `obj` is a group's work (it has `.group`)."""
    if user_has_role(user, *(r for r in roles if r != GROUP)):
        return True
    return GROUP in roles and is_group_member(user, obj.group)


# --- Investigation report --------------------------------------------------------------
# Once submitted, the report and the subject's findings are frozen (and its group fixed).
FINDINGS_FROZEN = (InvestigationReportStatus.SUBMITTED, InvestigationReportStatus.HEARD)


def findings_frozen(report: InvestigationReport | None) -> bool:
    return report is not None and report.status in FINDINGS_FROZEN


def group_leads(user, report: InvestigationReport) -> bool:
    return report.group.leader_id == user.pk


def _report_body(data, files, report):
    return ReportBodyForm(data, version=report_version(report.subject))


def report_version(subject) -> str:
    """The version of the subject's report as the workspace drew it (core.forms.version_of)."""
    return version_of(InvestigationReport.objects.filter(subject=subject))


INVESTIGATION_REPORT_WORKFLOW = Workflow(
    noun="调查报告",
    action="investigation_report",
    model=InvestigationReport,
    access=group_acts_for,
    moves=(
        Move(
            InvestigationReportStatus.DRAFT,
            InvestigationReportStatus.SUBMITTED,
            "提交调查报告",
            (GROUP,),
            name="submit_report",
            may=group_leads,
            refusal="调查报告由{obj.group.name}组长提交。",
            service=f"{_S}investigation_report_submit",
            form=_report_body,
            done="调查报告已提交。",
        ),
        Move(
            InvestigationReportStatus.SUBMITTED,
            InvestigationReportStatus.DRAFT,
            "退回",
            name="return_report",
            refusal="只有评议办公室工作人员可以退回调查报告。",
            service=f"{_S}investigation_report_return",
            form=lambda data, files, report: ReasonForm(data),
            done="调查报告已退回小组修改。",
        ),
        Move(
            InvestigationReportStatus.SUBMITTED,
            InvestigationReportStatus.HEARD,
            "登记主任会议听取",
            (OFFICE, DIRECTORS),
            name="hear_report",
            refusal="只有评议办公室或主任会议成员可以登记主任会议听取情况。",
            service=f"{_S}investigation_report_mark_heard",
            form=lambda data, files, report: HeardForm(data),
            done="已登记主任会议听取。",
        ),
    ),
    labels=dict(InvestigationReportStatus.choices),
    # The group (and the office) edit the draft; submitted, it is frozen.
    edit_name="edit_report",
    edit_states=(InvestigationReportStatus.DRAFT,),
    editors=(OFFICE, GROUP),
    edit_refusal="您不是{obj.group.name}的成员，不能记录该组的调查工作。",
    flags={"report_frozen": FINDINGS_FROZEN},
)


# --- Opinion questionnaire -------------------------------------------------------------
def _codes_for(mode: str, wrong_mode: str):
    """Codes are issued in their own access mode, until the questionnaire is closed."""

    def guard(questionnaire: Questionnaire) -> str:
        if questionnaire.access_mode != mode:
            return wrong_mode
        if questionnaire.status == QuestionnaireStatus.CLOSED:
            return "问卷已结束。"
        return ""

    return guard


QUESTIONNAIRE_WORKFLOW = Workflow(
    noun="问卷",
    action="questionnaire",
    model=Questionnaire,
    moves=(
        Move(
            QuestionnaireStatus.DRAFT,
            QuestionnaireStatus.OPEN,
            "开始收集",
            name="open_questionnaire",
            refusal="只有评议办公室工作人员可以开始收集。",
            service=f"{_S}questionnaire_open",
            done="问卷开始收集。",
        ),
        Move(
            QuestionnaireStatus.OPEN,
            QuestionnaireStatus.CLOSED,
            "结束收集",
            confirm="结束后不能再收集答卷，尚未计入的答卷将一并计入。确定结束？",
            name="close_questionnaire",
            refusal="只有评议办公室工作人员可以结束收集。",
            service=f"{_S}questionnaire_close",
            done="问卷已结束收集。",
        ),
    ),
    actions=(
        Action(
            name="issue_deputy_codes",
            label="向人大代表发放答题码",
            guard=_codes_for(AccessMode.PERSONAL, "该问卷不是面向人大代表的个人答题码方式。"),
            refusal="只有评议办公室工作人员可以发放答题码。",
            service=f"{_S}codes_issue_to_deputies",
            audit=(AuditAction.QUESTIONNAIRE_CODES,),
        ),
        Action(
            name="issue_sheet_codes",
            label="生成纸质问卷答题码",
            guard=_codes_for(AccessMode.SHEET, "该问卷不是按纸质问卷发码的方式。"),
            refusal="只有评议办公室工作人员可以发放答题码。",
            service=f"{_S}codes_issue_sheets",
            audit=(AuditAction.QUESTIONNAIRE_CODES,),
        ),
    ),
    labels=dict(QuestionnaireStatus.choices),
    flags={
        "collecting": (QuestionnaireStatus.OPEN,),
        "collection_over": (QuestionnaireStatus.CLOSED,),
    },
)

WORKFLOWS = (INVESTIGATION_REPORT_WORKFLOW, QUESTIONNAIRE_WORKFLOW)
