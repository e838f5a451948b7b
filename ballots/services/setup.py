"""Setting a ballot up: its scale, outcome labels, voter groups, quorum and rule."""

from decimal import Decimal

from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.services import require_office, validate_or_raise
from reviews.models import Campaign

from ..audit import AuditAction
from ..models import (
    Ballot,
    BallotItem,
    BallotPurpose,
    ReviewMeeting,
    VoterGroup,
)
from ..presets import preset, preset_spec
from ..rules import RuleError, RuleSpec, describe, spec_problems
from .tellers import ballot_tellers_set

ABSTAIN = "弃权"
COMMITTEE_GROUP = "常委会组成人员"


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
    actor: Actor,
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
    tellers=None,
    teller_threshold: int = 2,
) -> Ballot:
    """A ballot with its scale, outcome labels, voter groups, result rule and tellers. The
    rule is a preset resolved against this scale, or the office's own spec (rules.RuleSpec
    JSON). Tellers (监票人) may also be named later, on the ballot's page, before it opens."""
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
    if tellers:
        ballot_tellers_set(actor=actor, ballot=ballot, users=tellers, threshold=teller_threshold)
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_CREATE,
        summary=f"建立{ballot.get_purpose_display()}“{ballot}”（{len(subjects)} 名评议对象；规则：{describe(spec, outcomes)}）",
        target=ballot,
        campaign=campaign,
    )
    return ballot
