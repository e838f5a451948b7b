"""The one table of the 情况简报 (briefing): a draft is edited by the office and 签发
(issued) once; an issued briefing never changes again and is corrected by a new issue.

The move names its roles (the office), its service and its form (the page's edits travel
with the 保存并签发 button, so the issue is of what was typed); its audit action is
`briefing.issued`. The actions that are not moves (生成 PDF, 更正) say who and in which
states. The briefing is editable while a draft, by the office. Services call
`transition()`, `edit_check()` and `action_check()`; the briefing page asks
`capabilities()`; the generic move view (core.object_views) runs the move by its row here.
"""

from core.roles import Role
from core.workflow import Action, Move, Workflow

from .audit import AuditAction
from .forms import briefing_edit_form
from .models import Briefing, BriefingStatus

_S = "workbench.services.briefings."
_OFFICE_ONLY = "只有评议办公室工作人员可以进行此项操作。"


def _edits(data, files, briefing):
    """The draft's edits as posted with the button (the page's edit form, versioned)."""
    return briefing_edit_form(briefing, data)


BRIEFING_WORKFLOW = Workflow(
    noun="本期",
    audit_noun="情况简报",
    action="briefing",
    model=Briefing,
    moves=(
        Move(
            BriefingStatus.DRAFT,
            BriefingStatus.ISSUED,
            "签发",
            (Role.OFFICE,),
            confirm="签发后本期内容和 PDF 不再改变，确定签发吗？",
            name="issue",
            refusal=_OFFICE_ONLY,
            service=f"{_S}briefing_issue",
            form=_edits,
            done="已签发。本期内容和 PDF 从此不再改变。",
        ),
    ),
    actions=(
        Action(
            name="render",
            label="生成 PDF",
            refusal=_OFFICE_ONLY,
            service=f"{_S}briefing_render_request",
            audit=("briefing.render",),
        ),
        Action(
            name="correct",
            label="更正",
            states=(BriefingStatus.ISSUED,),
            refusal=_OFFICE_ONLY,
            service=f"{_S}briefing_correct",
            audit=(AuditAction.BRIEFING_CREATE,),
        ),
    ),
    # In messages: 本期尚未签发，不能更正。/ 本期已签发，不能签发。
    labels={BriefingStatus.DRAFT: "尚未签发", BriefingStatus.ISSUED: "已签发"},
    edit_name="edit",
    edit_states=(BriefingStatus.DRAFT,),
    editors=(Role.OFFICE,),
    edit_refusal=_OFFICE_ONLY,
    edit_closed="本期已签发，不能再修改；如需更正，请用“更正”另发一期。",
    flags={"issued": (BriefingStatus.ISSUED,)},
)
