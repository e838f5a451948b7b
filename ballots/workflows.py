"""The one table of the ballot: its moves (draft → open → counting → closed → published),
who may make each, under which guard, the service that makes it and its message; the
actions that are not moves (tellers, voting codes, paper entry, reminders, the next round,
discarding a practice ballot, the publication preview, the tellers' own steps); when a
ballot is editable and by whom; and the named facts pages ask instead of status strings.

Services call `transition()` (which checks the move, its roles and guard under the row
lock) and `BALLOT_WORKFLOW.action_check()` under their lock before an action; pages ask
`capabilities(ballot, user)`; the generic move view (core.object_views.move_view) runs
the one move that is a button (结束投票). A rule changes here, and only here.

Nothing here touches the secrecy of the ballot: the table decides who may do what when,
never what is encrypted, stored or shown (see ballots/models/__init__.py).
"""

from core.roles import Role
from core.workflow import Action, Move, Workflow

from .audit import AuditAction
from .models import Ballot, BallotPurpose, BallotScheme, BallotStatus, Teller

OFFICE = (Role.OFFICE,)
# The office's refusal for every office-only step on a ballot (core.services.require_office).
OFFICE_ONLY = "只有评议办公室工作人员可以进行此项操作。"
NOT_A_TELLER = "您不是本次测评的监票人。"

_S = "ballots.services."
DRAFT, OPEN, COUNTING, CLOSED, PUBLISHED = (
    BallotStatus.DRAFT,
    BallotStatus.OPEN,
    BallotStatus.COUNTING,
    BallotStatus.CLOSED,
    BallotStatus.PUBLISHED,
)


# --- Guards: the refusal (in Chinese) when a step is closed, "" when it is open ---------------
def _elgamal(ballot: Ballot) -> str:
    if ballot.scheme != BallotScheme.ELGAMAL:
        return "这是旧加密方式的测评，不能再开始投票，请新建测评。"
    return ""


def _closed_for_preview(ballot: Ballot) -> str:
    return "" if ballot.status == CLOSED else "只有已计票、尚未公布的测评可以预览公布文本。"


def _tellers_settable(ballot: Ballot) -> str:
    if ballot.scheme != BallotScheme.ELGAMAL or ballot.status != DRAFT:
        return "只有尚未开始投票的测评可以指定监票人。"
    if Teller.objects.filter(ballot=ballot, published_at__isnull=False).exists():
        return "已有监票人生成了密钥，不能再更换监票人。"
    return ""


def _codes_issuable(ballot: Ballot) -> str:
    if ballot.scheme != BallotScheme.ELGAMAL:
        return "这是旧加密方式的测评，不能发放投票码。"
    if ballot.status not in (DRAFT, OPEN):
        return "测评已结束投票，不能再发放投票码。"
    return ""


def _paper_open(ballot: Ballot) -> str:
    return "" if ballot.status in (DRAFT, OPEN) else "测评已结束，不能再录入纸质票。"


def _voting(ballot: Ballot) -> str:
    return "" if ballot.status == OPEN else "测评不在投票中。"


def _invalid_round(ballot: Ballot) -> str:
    """Another round only after a round that was invalid for want of members (quorum)."""
    if ballot.status != CLOSED or ballot.is_valid is not False:
        return "只有因人数不足而无效的测评可以重新组织投票。"
    if Ballot.objects.filter(previous=ballot).exists():
        return "已经组织过下一轮投票。"
    return ""


def _discardable(ballot: Ballot) -> str:
    if ballot.purpose != BallotPurpose.PRACTICE:
        return "只有试投票可以作废。"
    if ballot.status == OPEN:
        return "请先结束试投票。"
    return ""


def _keys_open(ballot: Ballot) -> str:
    return "" if ballot.status == DRAFT else "测评已开始投票，不能再生成监票密钥。"


def _shares_open(ballot: Ballot) -> str:
    return "" if ballot.status == DRAFT else "现在不需要发送份额。"


def _decrypting(ballot: Ballot) -> str:
    return "" if ballot.status == COUNTING else "本次测评现在不需要解密。"


def _is_teller(user, ballot: Ballot) -> bool:
    return Teller.objects.filter(ballot=ballot, user=user).exists()


def _office_action(name: str, label: str, guard, service: str, audit: str) -> Action:
    return Action(
        name=name,
        label=label,
        guard=guard,
        refusal=OFFICE_ONLY,
        service=f"{_S}{service}",
        audit=(audit,),
    )


def _teller_action(name: str, label: str, guard, service: str, audit: str) -> Action:
    return Action(
        name=name,
        label=label,
        guard=guard,
        may=_is_teller,
        refusal=NOT_A_TELLER,
        service=f"{_S}{service}",
        audit=(audit,),
    )


# Moves made on a page of their own (ballots.views.publishing), never by one click: the
# refusal the generic move URL gives for them.
OWN_PAGE = {
    OPEN: "开始投票须先在确认页面核对测评、投票人和结果规则。",
    PUBLISHED: "公布结果须先预览公布文本，再确认公布。",
}

BALLOT_WORKFLOW = Workflow(
    noun="测评",
    action="ballot",
    model=Ballot,
    moves=(
        # After a confirmation page (what opens, for whom, under which rule, and why when
        # outside its stage): ballots.views.publishing.ballot_open_confirm.
        Move(
            DRAFT,
            OPEN,
            "开始投票",
            OFFICE,
            name="open",
            guard=_elgamal,
            service=f"{_S}ballot_open",
            done="已开始投票。",
        ),
        Move(
            OPEN,
            COUNTING,
            "结束投票",
            OFFICE,
            confirm="结束投票后不能再投票，由监票人解密计票。确定结束？",
            name="close",
            service=f"{_S}ballot_close",
            done="已结束投票。请监票人在“我的工作”中载入监票密钥解密计票。",
        ),
        # Made by the k-th teller's valid partial decryption (ballot_decrypt), never by a
        # button: no role may make it by hand.
        Move(COUNTING, CLOSED, "监票人解密计票", roles=(), service=f"{_S}ballot_decrypt"),
        # After a preview of the exact public text (ballots.views.publishing).
        Move(
            CLOSED,
            PUBLISHED,
            "公布结果",
            OFFICE,
            name="publish",
            service=f"{_S}ballot_publish",
            done="测评结果已公布。",
        ),
    ),
    actions=(
        _office_action(
            "preview",
            "预览公布文本",
            _closed_for_preview,
            "ballot_publish_preview",
            AuditAction.BALLOT_PREVIEW,
        ),
        _office_action(
            "set_tellers",
            "指定监票人",
            _tellers_settable,
            "ballot_tellers_set",
            AuditAction.BALLOT_TELLERS,
        ),
        _office_action(
            "issue_codes",
            "生成投票码",
            _codes_issuable,
            "codes.voting_codes_issue",
            AuditAction.BALLOT_CODES,
        ),
        _office_action(
            "enter_paper", "录入纸质票", _paper_open, "paper_enter", AuditAction.BALLOT_PAPER
        ),
        _office_action(
            "remind", "提醒未投票人员", _voting, "ballot_remind", AuditAction.BALLOT_REMIND
        ),
        _office_action(
            "new_round",
            "重新组织投票（下一轮）",
            _invalid_round,
            "ballot_new_round",
            AuditAction.BALLOT_ROUND,
        ),
        _office_action(
            "discard",
            "作废试投票",
            _discardable,
            "ballot_discard_practice",
            AuditAction.BALLOT_DISCARD,
        ),
        _teller_action(
            "teller_keys",
            "生成监票密钥",
            _keys_open,
            "teller_publish",
            AuditAction.TELLER_PUBLISH,
        ),
        _teller_action(
            "teller_shares",
            "发送份额",
            _shares_open,
            "teller_shares_send",
            AuditAction.TELLER_SHARES,
        ),
        _teller_action(
            "decrypt", "解密计票", _decrypting, "ballot_decrypt", AuditAction.TELLER_DECRYPT
        ),
    ),  # fmt: skip
    labels=dict(BallotStatus.choices),
    # The set-up (items, options, rule, voter groups, tellers) changes while it is a draft.
    edit_name="edit_ballot",
    edit_states=(DRAFT,),
    editors=OFFICE,
    edit_refusal=OFFICE_ONLY,
    flags={
        "is_draft": (DRAFT,),
        "voting": (OPEN,),
        "counting": (COUNTING,),
        "shows_vote_link": (DRAFT, OPEN),  # the voting page's address and QR code
        "after_voting": (COUNTING, CLOSED, PUBLISHED),  # the tellers' decryption shows
        "counted": (CLOSED, PUBLISHED),
        "sealed": (CLOSED,),  # counted, results sealed until published
        "published": (PUBLISHED,),
    },
)


def ballot_capabilities(ballot: Ballot | None, user) -> dict:
    """What `user` may do on `ballot` now, by name (caps.close, caps.remind, caps.voting …)."""
    return BALLOT_WORKFLOW.capabilities(ballot, user)
