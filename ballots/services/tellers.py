"""Tellers (监票人), k of n: named by the office, keys made in their browsers, and the
count made from k of their partial decryptions.

Why the server only stores and checks: each teller's browser derives its secrets from a
seed sealed in the teller's own key file (ballots/elgamal/ceremony.py). What arrives here
is public (commitments with a proof of knowledge, an ephemeral key), sealed to another
teller (the shares, which only that teller's browser can open), or a partial decryption
of the summed ciphertexts with a proof against the teller's verification key. Every
piece is checked before it is stored, and nothing changes when a check fails.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.workflow import transition
from subjects.models import Subject

from ..audit import AuditAction
from ..elgamal.elgamal import Ciphertext
from ..elgamal.group import CryptoError, point_from_hex
from ..elgamal.tally import tally_counts, tally_partial_verify
from ..elgamal.tellers import TellerPublic, joint_key, teller_public_verify, verification_key
from ..models import Ballot, BallotResult, BallotStatus, Teller
from ..selectors import paper_pending, tally_groups, web_groups, web_voters_by_group
from ..workflows import BALLOT_WORKFLOW
from .ballots import _locked, ballot_validity, web_counts_by_subject
from .tally import tally

TELLERS_DEFAULT = 3
THRESHOLD_DEFAULT = 2
TELLERS_MAX = 9
SEALED_SHARE = 160  # hex digits: R (32 bytes), the share (32) and the GCM tag (16)


@transaction.atomic
def ballot_tellers_set(*, actor: Actor, ballot: Ballot, users, threshold: int = THRESHOLD_DEFAULT):
    """Name the tellers of a draft ballot (numbered in the order given) and how many of
    them must decrypt. Replaced freely until the first of them makes a key."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.action_check(ballot, actor, "set_tellers")
    users = list(users)
    if len({u.pk for u in users}) != len(users) or not all(u.is_active for u in users):
        raise ApplicationError("监票人不能重复，且须是在用的账号。")
    if not 2 <= len(users) <= TELLERS_MAX or not 2 <= threshold <= len(users):
        raise ApplicationError(
            f"监票人须有 2 至 {TELLERS_MAX} 名；解密所需人数须至少 2 名，且不多于监票人人数。"
        )
    Teller.objects.filter(ballot=ballot).delete()
    tellers = Teller.objects.bulk_create(
        Teller(ballot=ballot, user=u, index=i) for i, u in enumerate(users, 1)
    )
    ballot.teller_count, ballot.teller_threshold, ballot.joint_key = len(users), threshold, ""
    ballot.save(update_fields=["teller_count", "teller_threshold", "joint_key"])
    names = "、".join(u.get_full_name() or u.username for u in users)
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_TELLERS,
        summary=f"“{ballot}”指定监票人 {names}（{len(users)} 人中任 {threshold} 人可解密）",
        target=ballot,
        campaign=ballot.campaign,
    )
    return tellers


def _teller_locked(ballot: Ballot, user) -> Teller:
    teller = Teller.objects.select_for_update().filter(ballot=ballot, user=user).first()
    if teller is None:
        raise ApplicationError("您不是本次测评的监票人。")
    return teller


def tellers_public(ballot: Ballot) -> dict[int, TellerPublic]:
    return {
        t.index: TellerPublic.from_json(t.public, f"teller {t.index}")
        for t in Teller.objects.filter(ballot=ballot, published_at__isnull=False)
    }


def _shares_accept(teller: Teller, shares: object, published: set[int]) -> dict[str, str]:
    """The sealed shares for tellers who have published and have none from this teller yet."""
    if not isinstance(shares, dict) or not all(
        isinstance(k, str) and k.isascii() and k.isdigit() for k in shares
    ):
        raise ApplicationError("份额格式不正确，未被接受。")
    owed = published - {teller.index} - {int(k) for k in teller.shares}
    if {int(k) for k in shares} != owed:
        raise ApplicationError("发送的份额与尚需发送的监票人不符，请刷新页面后重试。")
    for value in shares.values():
        if not isinstance(value, str) or len(value) != SEALED_SHARE:
            raise ApplicationError("份额格式不正确，未被接受。")
        try:
            point_from_hex(value[:64])
            bytes.fromhex(value)
        except (CryptoError, ValueError):
            raise ApplicationError("份额格式不正确，未被接受。") from None
    return {**teller.shares, **{str(int(k)): v for k, v in shares.items()}}


@transaction.atomic
def teller_publish(*, actor: Actor, ballot: Ballot, public: object, shares: object) -> Teller:
    """A teller's first visit: what their browser publishes, with the shares it already
    owes to the tellers who published before."""
    ballot = _locked(ballot)
    teller = _teller_locked(ballot, actor)
    BALLOT_WORKFLOW.action_check(ballot, actor, "teller_keys")
    if teller.published_at is not None:
        raise ApplicationError("您已经生成过本次测评的监票密钥，不能重复生成。")
    try:
        parsed = TellerPublic.from_json(public)
        if parsed.index != teller.index:
            raise CryptoError("index")
        teller_public_verify(
            parsed, ballot_id=ballot.crypto_id, n=ballot.teller_count, k=ballot.teller_threshold
        )
    except CryptoError:
        raise ApplicationError("公开密钥校验未通过，未被接受，请重新生成。") from None
    published = set(
        Teller.objects.filter(ballot=ballot, published_at__isnull=False).values_list(
            "index", flat=True
        )
    )
    teller.shares = _shares_accept(teller, shares, published)
    teller.public, teller.published_at = parsed.to_json(), timezone.now()
    teller.save(update_fields=["public", "published_at", "shares"])
    _joint_key_update(ballot)
    audit_log(
        actor=actor,
        action=AuditAction.TELLER_PUBLISH,
        summary=f"“{ballot}”监票人 {teller.index} 生成监票密钥",
        target=ballot,
        campaign=ballot.campaign,
    )
    return teller


@transaction.atomic
def teller_shares_send(*, actor: Actor, ballot: Ballot, shares: object) -> Teller:
    """The shares a teller still owes to tellers who published after them."""
    ballot = _locked(ballot)
    teller = _teller_locked(ballot, actor)
    BALLOT_WORKFLOW.action_check(ballot, actor, "teller_shares")
    if teller.published_at is None:
        raise ApplicationError("现在不需要发送份额。")
    published = set(
        Teller.objects.filter(ballot=ballot, published_at__isnull=False).values_list(
            "index", flat=True
        )
    )
    teller.shares = _shares_accept(teller, shares, published)
    teller.save(update_fields=["shares"])
    audit_log(
        actor=actor,
        action=AuditAction.TELLER_SHARES,
        summary=f"“{ballot}”监票人 {teller.index} 发送份额",
        target=ballot,
        campaign=ballot.campaign,
    )
    return teller


def _joint_key_update(ballot: Ballot) -> None:
    """Once every teller has published, the joint key is the sum of their constants."""
    publics = tellers_public(ballot)
    if len(publics) == ballot.teller_count:
        ballot.joint_key = joint_key(list(publics.values())).hex()
        ballot.save(update_fields=["joint_key"])


def tellers_missing(ballot: Ballot) -> list[str]:
    """What still keeps the ballot from opening, in Chinese (empty when ready)."""
    tellers = list(Teller.objects.filter(ballot=ballot).select_related("user"))
    if not tellers:
        return ["尚未指定监票人"]
    problems = []
    for t in tellers:
        name = f"监票人 {t.index}（{t.user.get_full_name() or t.user.username}）"
        if t.published_at is None:
            problems.append(f"{name}尚未生成监票密钥")
        elif len(t.shares) != len(tellers) - 1:
            problems.append(f"{name}尚未向后生成密钥的监票人发送份额")
    return problems


def tellers_shares_for(ballot: Ballot, index: int) -> dict[int, str]:
    """The shares sealed to teller `index`, by sender."""
    return {
        t.index: t.shares[str(index)]
        for t in Teller.objects.filter(ballot=ballot)
        if str(index) in t.shares
    }


def tally_parsed(ballot: Ballot) -> list[list[Ciphertext]]:
    return [[Ciphertext.from_json(ct, "sum") for ct in row] for row in ballot.tally]


@transaction.atomic
def ballot_decrypt(*, actor: Actor, ballot: Ballot, partial: object) -> Ballot:
    """A teller's partial decryption of the summed ciphertexts. Checked against the
    teller's verification key before it is stored; the k-th valid one counts the ballot."""
    ballot = _locked(ballot)
    teller = _teller_locked(ballot, actor)
    BALLOT_WORKFLOW.action_check(ballot, actor, "decrypt")
    if teller.decrypted_at is not None:
        raise ApplicationError("您已经提交过解密结果。")
    publics = tellers_public(ballot)
    h = point_from_hex(ballot.joint_key)
    try:
        tally_partial_verify(
            key=verification_key(list(publics.values()), teller.index),
            tally=tally_parsed(ballot),
            partial=partial,
            joint_key=h,
            ballot_id=ballot.crypto_id,
            teller=teller.index,
        )
    except CryptoError:
        raise ApplicationError(
            "解密结果校验未通过，未被接受。请确认载入的是您本人在本次测评的监票密钥文件。"
        ) from None
    teller.partial, teller.decrypted_at = partial, timezone.now()
    teller.save(update_fields=["partial", "decrypted_at"])
    audit_log(
        actor=actor,
        action=AuditAction.TELLER_DECRYPT,
        summary=f"“{ballot}”监票人 {teller.index} 提交解密结果",
        target=ballot,
        campaign=ballot.campaign,
    )
    done = Teller.objects.filter(ballot=ballot, decrypted_at__isnull=False).count()
    if done >= ballot.teller_threshold:
        return ballot_count(actor=actor, ballot=ballot, rows=electronic_counts(ballot))
    return ballot


def electronic_counts(ballot: Ballot) -> list[list[int]]:
    """Counts per subject and option from the first k tellers' stored partials (checked
    again: a partial edited in the database is refused, not combined)."""
    publics = tellers_public(ballot)
    h = point_from_hex(ballot.joint_key)
    total = tally_parsed(ballot)
    partials = {}
    for t in Teller.objects.filter(ballot=ballot, decrypted_at__isnull=False).order_by("index"):
        partials[t.index] = tally_partial_verify(
            key=verification_key(list(publics.values()), t.index),
            tally=total,
            partial=t.partial,
            joint_key=h,
            ballot_id=ballot.crypto_id,
            teller=t.index,
        )
        if len(partials) == ballot.teller_threshold:
            break
    return tally_counts(total, partials, ballot.web_participants)


def ballot_count(*, actor: Actor, ballot: Ballot, rows: list[list[int]]) -> Ballot:
    """Store the results from the web counts (per voter group voting on the web, subject
    and option: the tally's rows, group after group) and the paper counts, under the
    ballot's rule; the ballot is then closed (counted)."""
    if paper_pending(ballot):
        raise ApplicationError("纸质票两次录入尚未核对一致，不能计票。")
    groups = tally_groups(ballot)
    voters = web_voters_by_group(ballot)
    n = ballot.items.count()
    if len(rows) != n * len(groups):
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    counts = {
        g.pk: web_counts_by_subject(ballot, rows[k * n : (k + 1) * n]) for k, g in enumerate(groups)
    }
    if any(
        sum(row.values()) != voters[g] for g, by_subject in counts.items()
        for row in by_subject.values()
    ):  # fmt: skip
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    # A group that votes on the web but cast no sheet: no sum was decrypted, its counts are 0.
    zero = [[0] * len(ballot.sheet_options)] * n
    for g in web_groups(ballot):
        counts.setdefault(g.pk, web_counts_by_subject(ballot, zero))
    BallotResult.objects.bulk_create(tally(ballot, counts))
    is_valid, reason, summary = ballot_validity(ballot)
    return transition(
        obj=ballot,
        to=BallotStatus.CLOSED,
        workflow=BALLOT_WORKFLOW,
        actor=actor,
        summary=f"“{ballot}”监票人解密计票（{summary}）" + ("" if is_valid else "：" + reason),
        stamp={"is_valid": is_valid, "invalid_reason": reason},
        campaign=ballot.campaign,
        check_roles=False,
    )


def tellers_like_last(*, campaign) -> dict:
    """ballot_create's tellers arguments: those of the campaign's latest ballot with tellers
    (the same people make new keys), or none (the office names them on the ballot's page)."""
    last = (
        Ballot.objects.filter(campaign=campaign, tellers__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        return {}
    tellers = [t.user for t in Teller.objects.filter(ballot=last).select_related("user")]
    return {"tellers": tellers, "teller_threshold": last.teller_threshold}


def teller_candidates():
    """Who may be named a teller: any active account but a review subject's (members or
    staff in practice; subjects' logins are thousands at a city's size)."""
    subject_logins = Subject.objects.filter(user__isnull=False).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk__in=subject_logins)
        .order_by("username")
    )
