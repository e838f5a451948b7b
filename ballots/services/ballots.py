"""The secret satisfaction ballot: configure, open, cast, close (tally once), publish.

See ballots/models.py for how secrecy is built. States move
draft → open → closed → published, only here, only by office staff.
"""

from decimal import Decimal
from fractions import Fraction

from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.keystore import key_destroy, key_names, key_read, key_write
from core.services import require_office, validate_or_raise
from reviews.models import Campaign, Member

from .. import crypto as ballot_crypto
from ..models import (
    Ballot,
    BallotItem,
    BallotPurpose,
    BallotResult,
    BallotStatus,
    Eligibility,
    PaperCount,
    PaperTally,
    Participation,
    ReviewMeeting,
    SealedSheet,
    VoterGroup,
)
from ..rules import (
    RuleError,
    RuleSpec,
    Tally,
    apply_spec,
    describe,
    preset,
    preset_spec,
    spec_problems,
)

ABSTAIN = "弃权"
COMMITTEE_GROUP = "常委会组成人员"
MOVES = {
    (BallotStatus.DRAFT, BallotStatus.OPEN),
    (BallotStatus.OPEN, BallotStatus.CLOSED),
    (BallotStatus.CLOSED, BallotStatus.PUBLISHED),
}


def default_quorum(composition: int) -> int:
    """More than half of the composition (组成人员的过半数)."""
    return composition // 2 + 1


def _labels(values, what: str) -> list[str]:
    labels = [str(v).strip() for v in values]
    if (
        not 2 <= len(labels) <= 8
        or len(set(labels)) != len(labels)
        or not all(labels)
        or any(len(v) > 20 for v in labels)
        or ABSTAIN in labels
    ):
        raise ApplicationError(
            f"{what}须有 2 至 8 项，每项不超过 20 字，不能重复或为空；“弃权”请用单独的开关设置。"
        )
    return labels


def _groups(
    committee_weight, extra_groups: list[tuple[str, Decimal]]
) -> list[tuple[str, Decimal, bool]]:
    groups = [(COMMITTEE_GROUP, committee_weight, True)]
    for name, weight in extra_groups:
        groups.append((str(name).strip(), weight, False))
    names = [g[0] for g in groups]
    if len(set(names)) != len(names):
        raise ApplicationError(f"投票人类别的名称不能重复，也不能叫“{COMMITTEE_GROUP}”。")
    for name, weight, _ in groups:
        try:
            weight = Decimal(str(weight))
        except ArithmeticError:
            raise ApplicationError(f"“{name}”的权重不是数字。") from None
        if not name or len(name) > 40 or not Decimal("0.01") <= weight <= Decimal("999.99"):
            raise ApplicationError(
                "投票人类别须有名称（40 字以内），权重须在 0.01 至 999.99 之间。"
            )
    return [(n, Decimal(str(w)).quantize(Decimal("0.01")), c) for n, w, c in groups]


def ballot_rule_check(
    *, options: list[str], outcomes: list[str], rule_spec: dict, present_count: int | None
) -> RuleSpec:
    """Read and check a rule for a ballot's scale; raise with every problem in Chinese."""
    try:
        spec = RuleSpec.from_json(rule_spec)
    except RuleError as exc:
        raise ApplicationError(str(exc)) from None
    problems = spec_problems(spec, options=options, outcomes=outcomes)
    uses_present = spec.rate_base == "present" or (
        spec.threshold is not None and spec.threshold.base == "present"
    )
    if uses_present and present_count is None:
        problems.append("规则要用到出席人数，请填写出席人数。")
    if problems:
        raise ApplicationError("；".join(problems))
    return spec


@transaction.atomic
def ballot_create(
    *,
    actor,
    campaign: Campaign,
    name: str,
    meeting: ReviewMeeting | None = None,
    subjects=None,
    options: list[str] | None = None,
    outcomes: list[str] | None = None,
    abstain_allowed: bool = False,
    favourable: list[str] | None = None,
    rule_preset: str = "default",
    rule_spec: dict | None = None,
    present_count: int | None = None,
    quorum: int | None = None,
    quorum_base: str = "composition",
    purpose: str = BallotPurpose.REVIEW,
    committee_weight: Decimal = Decimal(1),
    extra_groups: list[tuple[str, Decimal]] = (),
) -> Ballot:
    """A ballot with its scale, outcome labels, voter groups and result rule. The rule is a
    preset resolved against this scale, or the office's own spec (rules.RuleSpec JSON)."""
    require_office(actor)
    options = _labels(options or campaign.rating_options, "选项")
    outcomes = _labels(outcomes or options, "结果档次")
    favourable = list(favourable) if favourable is not None else options[:-1]
    if not favourable or not set(favourable) <= set(options[:-1]):
        raise ApplicationError("计为满意的选项须是除最后一项以外的选项。")
    composition = campaign.composition_size
    if present_count is not None and not 0 < present_count <= composition:
        raise ApplicationError(f"出席人数应在 1 到组成人员总数 {composition} 之间。")
    if quorum_base not in ("composition", "present") or (
        quorum_base == "present" and present_count is None
    ):
        raise ApplicationError("最低参加人数的基数须是组成人员总数，或已填写的出席人数。")
    if rule_spec is None:
        try:
            preset(rule_preset)
            rule_spec = preset_spec(
                rule_preset, options=options, outcomes=outcomes, favourable=favourable
            ).to_json()
        except RuleError as exc:
            raise ApplicationError(str(exc)) from None
    else:
        try:
            same = preset_spec(
                rule_preset, options=options, outcomes=outcomes, favourable=favourable
            ) == RuleSpec.from_json(rule_spec)
        except RuleError:
            same = False
        rule_preset = rule_preset if same else "custom"
    spec = ballot_rule_check(
        options=options, outcomes=outcomes, rule_spec=rule_spec, present_count=present_count
    )
    quorum_of = composition if quorum_base == "composition" else present_count
    quorum = quorum if quorum is not None else default_quorum(quorum_of)
    if not 1 <= quorum <= composition:
        raise ApplicationError(f"最低参加人数应在 1 到组成人员总数 {composition} 之间。")
    groups = _groups(committee_weight, extra_groups)
    subjects = list(subjects if subjects is not None else campaign.subjects.order_by("position"))
    if not subjects:
        raise ApplicationError("没有可测评的评议对象。")
    if any(s.campaign_id != campaign.pk for s in subjects):
        raise ApplicationError("评议对象不属于本次评议活动。")
    if meeting is not None and meeting.campaign_id != campaign.pk:
        raise ApplicationError("会议不属于本次评议活动。")
    ballot = Ballot(
        campaign=campaign,
        meeting=meeting,
        name=name.strip(),
        purpose=purpose,
        options=options,
        outcomes=outcomes,
        abstain_allowed=abstain_allowed,
        favourable=favourable,
        composition_size=composition,
        present_count=present_count,
        quorum=quorum,
        quorum_base=quorum_base,
        rule_preset=rule_preset,
        rule_spec=spec.to_json(),
    )
    validate_or_raise(ballot)
    ballot.save()
    BallotItem.objects.bulk_create(
        BallotItem(ballot=ballot, subject=s, position=i) for i, s in enumerate(subjects, 1)
    )
    VoterGroup.objects.bulk_create(
        VoterGroup(ballot=ballot, name=n, weight=w, is_committee=c) for n, w, c in groups
    )
    audit_log(
        actor=actor,
        action="ballot.create",
        summary=f"建立{ballot.get_purpose_display()}“{ballot}”（{len(subjects)} 名评议对象；规则：{describe(spec, outcomes)}）",
        target=ballot,
        campaign=campaign,
    )
    return ballot


def _locked(ballot: Ballot) -> Ballot:
    return (
        Ballot.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=ballot.pk)
    )


def _share_locked(ballot: Ballot) -> Ballot:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM ballots_ballot WHERE id = %s FOR SHARE", [ballot.pk])
    # SQLite takes the database's write lock at the transaction's start instead.
    return Ballot.objects.select_related("campaign").get(pk=ballot.pk)


def _move(ballot: Ballot, to: str) -> None:
    if (ballot.status, to) not in MOVES:
        raise ApplicationError(
            f"测评{ballot.get_status_display()}，不能{'开始投票' if to == BallotStatus.OPEN else BallotStatus(to).label}。"
        )


def _key_name(ballot: Ballot) -> str:
    return f"ballot-{ballot.pk}"


def _layout(ballot: Ballot, items: int | None = None) -> ballot_crypto.Layout:
    return ballot_crypto.Layout(
        subjects=items if items is not None else ballot.items.count(),
        options=len(ballot.choices),
        slot_bits=ballot.slot_bits,
        n=int(ballot.public_key, 16),
    )


@transaction.atomic
def ballot_open(*, actor, ballot: Ballot) -> Ballot:
    require_office(actor)
    ballot = _locked(ballot)
    _move(ballot, BallotStatus.OPEN)
    voters = list(
        Member.objects.filter(is_active=True, counts_toward_composition=True).values_list(
            "user_id", flat=True
        )
    )
    if not voters:
        raise ApplicationError("系统中没有在任且计入组成人员的常委会组成人员，无法开始网上投票。")
    Eligibility.objects.bulk_create(Eligibility(ballot=ballot, user_id=u) for u in voters)
    # Only the public key goes to the database; the private key is a file outside it.
    # Should this transaction roll back, the file is left for a draft ballot and replaced
    # at the next open (or removed by ballot_keys_purge).
    n, secret = ballot_crypto.keypair_new()
    key_write(name=_key_name(ballot), data=secret)
    ballot.status, ballot.opened_at = BallotStatus.OPEN, timezone.now()
    ballot.public_key, ballot.slot_bits = format(n, "x"), ballot_crypto.slot_bits_for(len(voters))
    ballot.save(update_fields=["status", "opened_at", "public_key", "slot_bits"])
    audit_log(
        actor=actor,
        action="ballot.open",
        summary=f"“{ballot}”开始投票（应投 {len(voters)} 人）",
        target=ballot,
        campaign=ballot.campaign,
    )
    return ballot


def ballot_cast(*, actor, ballot: Ballot, choices: dict[int, str]) -> str:
    """Cast the member's whole sheet once, encrypted under the ballot's public key.

    Returns the receipt to show them: the tracker of their sheet, listed after publication
    among the counted sheets. The participation and the sheet share a transaction; that is
    harmless because nothing in the database can open the sheet."""
    with transaction.atomic():
        # A shared lock on the ballot row: casts run side by side, but the close (which
        # takes the row exclusively) waits for them, and no sheet lands after the count.
        ballot = _share_locked(ballot)
        if ballot.status != BallotStatus.OPEN:
            raise ApplicationError("本次测评不在投票时间内。")
        if not Eligibility.objects.filter(ballot=ballot, user=actor).exists():
            raise ApplicationError("您不在本次测评的投票人名单中。")
        if Participation.objects.filter(ballot=ballot, user=actor).exists():
            raise ApplicationError("您已经投过票，每人只能投一次，投票后不能更改。")
        subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
        allowed = set(ballot.choices)
        missing = [sid for sid in subject_ids if choices.get(sid) not in allowed]
        if missing or set(choices) - set(subject_ids):
            raise ApplicationError(
                f"还有 {len(missing)} 名评议对象未选择，请对每一名评议对象作出选择。"
                if missing
                else "选票内容无效。"
            )
        sheet = ballot_crypto.sheet_encrypt(
            _layout(ballot, len(subject_ids)),
            [ballot.choices.index(choices[sid]) for sid in subject_ids],
        )
        try:
            with transaction.atomic():
                Participation.objects.create(ballot=ballot, user=actor)
        except IntegrityError:
            raise ApplicationError("您已经投过票，每人只能投一次，投票后不能更改。") from None
        SealedSheet.objects.create(ballot=ballot, ciphertext=sheet)
    return ballot_crypto.tracker(sheet)


def _fraction(value) -> Fraction:
    return Fraction(str(value))


def _bases(ballot: Ballot, groups, papers) -> tuple[dict, dict]:
    """Ballots issued and cast, of the committee alone and weighted over every group.

    The committee's issued count: every eligible member got one web ballot when anyone
    voted on the web (those who voted on paper instead are among them); with no web
    votes at all, the paper sheets handed out. Never both added together."""
    committee = next(g for g in groups if g.is_committee)
    eligible = Eligibility.objects.filter(ballot=ballot).count()
    web = ballot.web_participants
    paper = papers.get(committee.pk)
    committee_issued = eligible if web or paper is None else paper.issued
    committee_cast = web + (paper.returned if paper else 0)
    issued = {"committee": Fraction(committee_issued)}
    cast = {"committee": Fraction(committee_cast)}
    issued["weighted"] = _fraction(committee.weight) * committee_issued + sum(
        (
            _fraction(g.weight) * papers[g.pk].issued
            for g in groups
            if not g.is_committee and g.pk in papers
        ),
        Fraction(0),
    )
    cast["weighted"] = _fraction(committee.weight) * committee_cast + sum(
        (
            _fraction(g.weight) * papers[g.pk].returned
            for g in groups
            if not g.is_committee and g.pk in papers
        ),
        Fraction(0),
    )
    return issued, cast


def _tally(ballot: Ballot, web_counts: dict[int, dict[str, int]]) -> list[BallotResult]:
    """Combine web votes and paper counts per subject, apply the ballot's rule, rank."""
    groups = list(ballot.voter_groups.all())
    committee = next(g for g in groups if g.is_committee)
    papers = {
        t.voter_group_id: t
        for t in PaperTally.objects.filter(ballot=ballot).prefetch_related("counts")
    }
    issued, cast = _bases(ballot, groups, papers)
    choices = ballot.choices
    spec = ballot.spec
    rule_snapshot = {
        "preset": ballot.rule_preset,
        "spec": ballot.rule_spec,
        "text": describe(spec, ballot.outcomes),
        "options": ballot.options,
        "outcomes": ballot.outcomes,
        "favourable": ballot.favourable,
        "composition": ballot.composition_size,
        "present": ballot.present_count,
        "quorum": ballot.quorum,
        "weights": {g.name: str(g.weight) for g in groups},
    }
    results = []
    for item in ballot.items.select_related("subject"):
        web = dict(web_counts[item.subject_id])
        paper = {o: 0 for o in choices}
        weighted = {o: Fraction(web[o]) * _fraction(committee.weight) for o in choices}
        committee_counts = {o: Fraction(web[o]) for o in choices}
        for group in groups:
            tally = papers.get(group.pk)
            if tally is None:
                continue
            for count in tally.counts.all():
                if count.subject_id == item.subject_id and count.option in paper:
                    paper[count.option] += count.count
                    weighted[count.option] += _fraction(group.weight) * count.count
                    if group.is_committee:
                        committee_counts[count.option] += count.count
        numbers = Tally(
            weighted=weighted,
            committee=committee_counts,
            scale=list(ballot.options),
            composition=ballot.composition_size,
            present=ballot.present_count,
            issued=issued,
            cast=cast,
        )
        try:
            outcome = apply_spec(spec, ballot.outcomes, numbers)
        except RuleError as exc:
            raise ApplicationError(str(exc)) from None
        results.append(
            BallotResult(
                ballot=ballot,
                subject=item.subject,
                counts={o: _json_number(weighted[o]) for o in choices},
                committee_counts={o: _json_number(committee_counts[o]) for o in choices},
                web_counts=web,
                paper_counts=paper,
                valid=_decimal(numbers.base("valid", spec.counting)),
                issued=_decimal(issued[spec.counting]),
                bases=numbers.bases(),
                rate=Decimal(str(round(float(outcome.rate), 2)))
                if outcome.rate is not None
                else None,
                outcome=outcome.label,
                explanation=outcome.explanation,
                rule_snapshot=rule_snapshot,
                rank=0,
            )
        )
    ordered = sorted(
        results,
        key=lambda r: (
            r.rate is None,
            -(r.rate or 0),
            ballot.outcomes.index(r.outcome),
            -sum(r.counts[o] for o in ballot.favourable),
        ),
    )
    for rank, result in enumerate(ordered, start=1):
        result.rank = rank
    return results


def _json_number(value: Fraction):
    return int(value) if value.denominator == 1 else round(float(value), 4)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(str(round(float(value), 2)))


def _count_sheets(ballot: Ballot) -> tuple[dict[int, dict[str, int]], dict]:
    """Multiply every sheet, decrypt only the product, and check it before trusting it."""
    subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
    layout = _layout(ballot, len(subject_ids))
    sheets = SealedSheet.objects.filter(ballot=ballot).values_list("ciphertext", flat=True)
    product = ballot_crypto.sheets_multiply(layout, sheets.iterator())
    plains, proofs = ballot_crypto.product_decrypt(
        layout, key_read(name=_key_name(ballot)), product
    )
    if not ballot_crypto.product_verify(layout, product, plains, proofs):
        raise ApplicationError("计票校验未通过，已停止计票，请联系系统管理员。")
    rows = ballot_crypto.counts_unpack(layout, plains)
    counts = {
        sid: dict(zip(ballot.choices, row, strict=True))
        for sid, row in zip(subject_ids, rows, strict=True)
    }
    proof = {
        "product": [format(c, "x") for c in product],
        "plaintext": [format(m, "x") for m in plains],
        "randomness": [format(r, "x") for r in proofs],
    }
    return counts, proof


@transaction.atomic
def ballot_close(*, actor, ballot: Ballot) -> Ballot:
    """Count by multiplying the sheets and decrypting only the product; destroy the key."""
    require_office(actor)
    ballot = _locked(ballot)
    _move(ballot, BallotStatus.CLOSED)
    participants = Participation.objects.filter(ballot=ballot).count()
    if SealedSheet.objects.filter(ballot=ballot).count() != participants:
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    counts, ballot.tally_proof = _count_sheets(ballot)
    if any(sum(row.values()) != participants for row in counts.values()):
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    ballot.web_participants = participants
    BallotResult.objects.bulk_create(_tally(ballot, counts))
    committee = ballot.voter_groups.get(is_committee=True)
    paper = PaperTally.objects.filter(ballot=ballot, voter_group=committee).first()
    took_part = participants + (paper.returned if paper else 0)
    ballot.is_valid = took_part >= ballot.quorum
    ballot.invalid_reason = (
        ""
        if ballot.is_valid
        else (f"参加测评 {took_part} 人，少于最低参加人数 {ballot.quorum} 人，本轮测评无效。")
    )
    ballot.status, ballot.closed_at = BallotStatus.CLOSED, timezone.now()
    ballot.web_participants = participants
    ballot.save()
    # Only once the count is committed may the key go: a rolled-back close stays open.
    name = _key_name(ballot)
    transaction.on_commit(lambda: (key_destroy(name=name), ballot_keys_purge()))
    audit_log(
        actor=actor,
        action="ballot.close",
        summary=f"“{ballot}”结束投票并计票（网上 {participants} 人{f'，纸质 {paper.returned} 张' if paper else ''}）"
        + ("" if ballot.is_valid else "：" + ballot.invalid_reason),
        target=ballot,
        campaign=ballot.campaign,
    )
    return ballot


@transaction.atomic
def ballot_publish(*, actor, ballot: Ballot) -> Ballot:
    require_office(actor)
    ballot = _locked(ballot)
    _move(ballot, BallotStatus.PUBLISHED)
    ballot.status, ballot.published_at = BallotStatus.PUBLISHED, timezone.now()
    ballot.save(update_fields=["status", "published_at"])
    audit_log(
        actor=actor,
        action="ballot.publish",
        summary=f"公布“{ballot}”测评结果",
        target=ballot,
        campaign=ballot.campaign,
    )
    return ballot


@transaction.atomic
def ballot_discard_practice(*, actor, ballot: Ballot) -> None:
    """A practice ballot has done its job once closed: it leaves no votes behind."""
    require_office(actor)
    ballot = _locked(ballot)
    if ballot.purpose != BallotPurpose.PRACTICE:
        raise ApplicationError("只有试投票可以作废。")
    if ballot.status == BallotStatus.OPEN:
        raise ApplicationError("请先结束试投票。")
    name, campaign = str(ballot), ballot.campaign
    for model in (BallotResult, Participation, Eligibility, SealedSheet):
        model.objects.filter(ballot=ballot).delete()
    PaperTally.objects.filter(ballot=ballot).delete()
    key_name = _key_name(ballot)
    ballot.delete()
    transaction.on_commit(lambda: key_destroy(name=key_name))
    audit_log(
        actor=actor, action="ballot.discard", summary=f"作废试投票“{name}”", campaign=campaign
    )


@transaction.atomic
def ballot_new_round(*, actor, ballot: Ballot) -> Ballot:
    """After an invalid round (quorum), hold another; the earlier round stays on record."""
    require_office(actor)
    ballot = _locked(ballot)
    if ballot.status != BallotStatus.CLOSED or ballot.is_valid is not False:
        raise ApplicationError("只有因人数不足而无效的测评可以重新组织投票。")
    if hasattr(ballot, "next_round"):
        raise ApplicationError("已经组织过下一轮投票。")
    new = Ballot.objects.create(
        campaign=ballot.campaign,
        meeting=ballot.meeting,
        name=ballot.name,
        purpose=ballot.purpose,
        round=ballot.round + 1,
        previous=ballot,
        options=ballot.options,
        abstain_allowed=ballot.abstain_allowed,
        favourable=ballot.favourable,
        outcomes=ballot.outcomes,
        composition_size=ballot.composition_size,
        present_count=ballot.present_count,
        quorum=ballot.quorum,
        quorum_base=ballot.quorum_base,
        rule_preset=ballot.rule_preset,
        rule_spec=ballot.rule_spec,
    )
    BallotItem.objects.bulk_create(
        BallotItem(ballot=new, subject_id=i.subject_id, position=i.position)
        for i in ballot.items.all()
    )
    VoterGroup.objects.bulk_create(
        VoterGroup(ballot=new, name=g.name, weight=g.weight, is_committee=g.is_committee)
        for g in ballot.voter_groups.all()
    )
    audit_log(
        actor=actor,
        action="ballot.round",
        summary=f"“{ballot.name}”组织第 {new.round} 轮投票",
        target=new,
        campaign=ballot.campaign,
    )
    return new


@transaction.atomic
def paper_enter(
    *,
    actor,
    ballot: Ballot,
    voter_group: VoterGroup,
    issued: int,
    returned: int,
    counts: dict[int, dict[str, int]],
) -> PaperTally:
    """Paper ballots counted at the meeting: per subject, option counts plus invalid sheets
    must add up to the sheets returned."""
    require_office(actor)
    ballot = _locked(ballot)
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
        raise ApplicationError("测评已结束，不能再录入纸质票。")
    if voter_group.ballot_id != ballot.pk:
        raise ApplicationError("投票人类别不属于本次测评。")
    if issued < 0 or returned < 0:
        raise ApplicationError("票数不能为负数。")
    if returned > issued:
        raise ApplicationError(f"收回票数 {returned} 多于发出票数 {issued}，请核对。")
    items = list(ballot.items.select_related("subject"))
    problems = []
    for item in items:
        row = counts.get(item.subject_id, {})
        if any(n < 0 for n in row.values()):
            raise ApplicationError("票数不能为负数。")
        unknown = set(row) - set(ballot.choices) - {"invalid"}
        if unknown:
            raise ApplicationError("选项无效。")
        total = sum(row.values())
        if total != returned:
            problems.append(f"{item.subject.person_name}（合计 {total}，应为 {returned}）")
    if problems:
        raise ApplicationError("各选项票数与废票之和应等于收回票数：" + "；".join(problems) + "。")
    PaperTally.objects.filter(ballot=ballot, voter_group=voter_group).delete()
    tally = PaperTally.objects.create(
        ballot=ballot, voter_group=voter_group, issued=issued, returned=returned
    )
    PaperCount.objects.bulk_create(
        PaperCount(tally=tally, subject_id=item.subject_id, option=option, count=n)
        for item in items
        for option, n in counts.get(item.subject_id, {}).items()
        if option != "invalid"
    )
    audit_log(
        actor=actor,
        action="ballot.paper",
        summary=f"“{ballot}”录入{voter_group.name}纸质票：发出 {issued} 张，收回 {returned} 张",
        target=ballot,
        campaign=ballot.campaign,
    )
    return tally


def ballot_verify(*, ballot: Ballot) -> bool:
    """Anyone's check of a published count: the product of the stored sheets, with the
    published proof, gives exactly the published web counts."""
    if ballot.status != BallotStatus.PUBLISHED or not ballot.tally_proof:
        return False
    subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
    layout = _layout(ballot, len(subject_ids))
    sheets = SealedSheet.objects.filter(ballot=ballot).values_list("ciphertext", flat=True)
    product = ballot_crypto.sheets_multiply(layout, sheets.iterator())
    proof = ballot.tally_proof
    plains = [int(m, 16) for m in proof["plaintext"]]
    if [format(c, "x") for c in product] != proof["product"] or not ballot_crypto.product_verify(
        layout, product, plains, [int(r, 16) for r in proof["randomness"]]
    ):
        return False
    rows = ballot_crypto.counts_unpack(layout, plains)
    web = dict(BallotResult.objects.filter(ballot=ballot).values_list("subject_id", "web_counts"))
    return all(
        web.get(sid) == dict(zip(ballot.choices, row, strict=True))
        for sid, row in zip(subject_ids, rows, strict=True)
    )


def ballot_keys_purge() -> int:
    """Destroy key files left behind for ballots that are no longer open (a crash between
    the close's commit and its key deletion, or an open that rolled back)."""
    names = key_names(prefix="ballot")
    open_ids = set(Ballot.objects.filter(status=BallotStatus.OPEN).values_list("pk", flat=True))
    stale = [n for n in names if int(n.split("-")[1]) not in open_ids]
    for name in stale:
        key_destroy(name=name)
    return len(stale)


def ballot_remind(*, actor, ballot: Ballot) -> int:
    """Email the eligible members who have not voted yet. Returns how many were reminded."""
    require_office(actor)
    if ballot.status != BallotStatus.OPEN:
        raise ApplicationError("测评不在投票中。")
    voted = Participation.objects.filter(ballot=ballot).values("user_id")
    users = [
        e.user
        for e in Eligibility.objects.filter(ballot=ballot)
        .exclude(user_id__in=voted)
        .select_related("user")
    ]
    messages = [
        (
            f"请参加“{ballot}”",
            f"{u.get_full_name() or u.username}：“{ballot}”正在进行，请登录系统投票。",
            None,
            [u.email],
        )
        for u in users
        if u.email
    ]
    send_mass_mail(messages, fail_silently=True)
    audit_log(
        actor=actor,
        action="ballot.remind",
        summary=f"提醒 {len(users)} 名未投票人员参加“{ballot}”",
        target=ballot,
        campaign=ballot.campaign,
    )
    return len(users)
