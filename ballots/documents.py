"""The printed paper sheets (纸质测评票) and the tellers' counting form (计票单) of a ballot's
voter group, as a rendered document (registered with core.documents in apps.py).

One PDF per voter group: page 1 is the master sheet, to photocopy as many times as sheets
are handed out (the number issued is only known at the meeting, and identical copies are
what keeps the sheet secret: no serial number, no name, no mark of any kind); page 2 is
the counting form the tellers fill in and the office types in twice."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.roles import Role, user_has_role

from .models import VoterGroup

PAPER_DOCUMENT = "ballot_paper"

INSTRUCTIONS = (
    "本测评票不记名，请勿在票上填写姓名或作任何记号。",
    "对每名评议对象，请在所选一项下的方框内划“√”，只能选一项。",
    "不划或多划的，该评议对象的这一项计为无效票；字迹无法辨认的亦同。",
    "请使用会场提供的笔填写，填好后投入票箱。",
)


def _group(object_id: int) -> VoterGroup:
    group = (
        VoterGroup.objects.select_related("ballot__campaign", "ballot__meeting")
        .filter(pk=object_id)
        .first()
    )
    if group is None:
        raise Http404("没有找到该投票人类别。")
    return group


def paper_render(object_id: int) -> tuple[str, dict, str]:
    group = _group(object_id)
    ballot = group.ballot
    items = list(ballot.items.select_related("subject__unit").order_by("position"))
    instructions = list(INSTRUCTIONS)
    if ballot.abstain_allowed:
        instructions.insert(2, "对某一评议对象不作评价的，可选“弃权”。")
    return (
        "ballots/paper_pdf.html",
        {
            "ballot": ballot,
            # 述职评议满意度测评 → 述职评议满意度测评票, not …测评测评票
            "sheet_title": f"{ballot.name}票"
            if ballot.name.endswith("测评")
            else f"{ballot.name}测评票",
            "group": group,
            "items": items,
            "options": ballot.sheet_options,
            "instructions": instructions,
            "tally_columns": [*ballot.sheet_options, "无效票"],
        },
        f"{ballot.name}纸质测评票和计票单（{group.name}）.pdf",
    )


def paper_title_for(user, object_id: int) -> str:
    if not user_has_role(user, Role.OFFICE):
        raise PermissionDenied("您没有权限访问此页面。")
    group = _group(object_id)
    return f"“{group.ballot}”纸质测评票和计票单（{group.name}）"


def paper_campaign(object_id: int):
    return _group(object_id).ballot.campaign
