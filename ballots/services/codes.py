"""One-time voting codes (投票码) for a voter group whose voters have no account, e.g. the
deputies (人大代表): the office issues them when it lets the group vote on the web.

Why only a hash is stored: the codes are printed once, on slips without names that are
handed out by drawing, so nothing on the server ties a code to a person, and a database
dump alone yields no code to vote with (the hash is keyed, ballots.services.cast.code_digest).
Casting with a code is ballots.services.cast.ballot_cast_code.
"""

from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError

from ..audit import AuditAction
from ..models import Ballot, VoterGroup, VotingCode, voting_code_new
from ..workflows import BALLOT_WORKFLOW
from .ballots import _locked
from .cast import code_digest

CODES_MAX = 500  # at one time


@transaction.atomic
def voting_codes_issue(
    *, actor: Actor, ballot: Ballot, voter_group: VoterGroup, count: int
) -> list[str]:
    """Let `voter_group` vote on the web and issue `count` new codes to it. Returns the
    plain codes, to be printed now: they are stored nowhere."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.action_check(ballot, actor, "issue_codes")
    group = VoterGroup.objects.select_for_update().filter(pk=voter_group.pk, ballot=ballot).first()
    if group is None:
        raise ApplicationError("投票人类别不属于本次测评。")
    if group.is_committee:
        raise ApplicationError("常委会组成人员凭本人账号投票，不发放投票码。")
    if not 1 <= count <= CODES_MAX:
        raise ApplicationError(f"一次可生成 1 至 {CODES_MAX} 个投票码。")
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = voting_code_new()
        codes[code_digest(code)] = code
    # A collision with an earlier code (about 2^-60 per pair) is drawn again, never stored.
    for digest in VotingCode.objects.filter(digest__in=codes).values_list("digest", flat=True):
        del codes[digest]
    VotingCode.objects.bulk_create(
        VotingCode(ballot=ballot, voter_group=group, digest=d) for d in codes
    )
    if not group.web_voting:
        group.web_voting = True
        group.save(update_fields=["web_voting"])
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_CODES,
        summary=f"“{ballot}”为{group.name}生成 {len(codes)} 个投票码（网上投票）",
        target=ballot,
        campaign=ballot.campaign,
    )
    return list(codes.values())
