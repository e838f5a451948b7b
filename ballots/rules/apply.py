"""Applying a rule to a tally: rates, scores (with dropped highest and lowest votes), ranks
with ties (并列) and the outcome with the numbers it used. Pure functions, no database."""

from dataclasses import dataclass, field
from fractions import Fraction

from .spec import (
    _NEGATED,
    BASES,
    COMPARES,
    COUNTINGS,
    RuleError,
    RuleSpec,
    _band_text,
    _num,
    _score_band_text,
    share_text,
)


@dataclass(frozen=True)
class GroupCounts:
    """One voter group's own (unweighted) counts, for score rules."""

    name: str
    weight: Fraction
    counts: dict[str, Fraction]


@dataclass(frozen=True)
class Tally:
    """One subject's counts and the bases they are measured against."""

    weighted: dict[str, Fraction]  # option -> weighted count, every voter group
    committee: dict[str, Fraction]  # option -> the committee members' own count
    scale: list[str]  # the options that are valid votes (abstain excluded)
    composition: int
    present: int | None
    issued: dict[str, Fraction]  # counting -> ballots issued
    cast: dict[str, Fraction]  # counting -> ballots cast (returned)
    groups: tuple[GroupCounts, ...] = ()  # every voter group's own counts (score rules)

    def counts(self, counting: str) -> dict[str, Fraction]:
        return self.committee if counting == "committee" else self.weighted

    def base(self, base: str, counting: str) -> Fraction | None:
        if base == "composition":
            return Fraction(self.composition)
        if base == "present":
            return Fraction(self.present) if self.present is not None else None
        if base == "valid":
            counts = self.counts(counting)
            return sum((counts.get(o, Fraction(0)) for o in self.scale), Fraction(0))
        return (self.issued if base == "issued" else self.cast)[counting]

    def bases(self) -> dict:
        return {
            counting: {b: _json_num(self.base(b, counting)) for b in BASES}
            for counting in COUNTINGS
        }


def _json_num(value: Fraction | None):
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


@dataclass(frozen=True)
class Outcome:
    label: str
    rate: Fraction | None  # percent
    explanation: str
    numbers: dict = field(default_factory=dict)
    score: Fraction | None = None  # score rules: the exact mean score


def _compare(value: Fraction, compare: str, limit: Fraction) -> bool:
    return {
        "gt": value > limit,
        "ge": value >= limit,
        "le": value <= limit,
        "lt": value < limit,
    }[compare]


def _sum(counts: dict[str, Fraction], options) -> Fraction:
    return sum((counts.get(o, Fraction(0)) for o in options), Fraction(0))


def rate_of(spec: RuleSpec, tally: Tally) -> Fraction | None:
    """The rule's rate in percent (None when its base is 0 or unknown, or the rule scores)."""
    if spec.scored:
        return None
    options = spec.rate_options or tally.scale[:-1]
    base = tally.base(spec.rate_base, spec.counting)
    if not base:
        return None
    return _sum(tally.counts(spec.counting), options) / base * 100


def _drop(votes: list[tuple[Fraction, Fraction]], n: int) -> list[tuple[Fraction, Fraction]]:
    """(points, count) from highest to lowest points, with n votes taken off the top."""
    kept, left = [], Fraction(n)
    for points, count in votes:
        taken = min(count, left)
        left -= taken
        if count - taken:
            kept.append((points, count - taken))
    return kept


def score_of(spec: RuleSpec, tally: Tally) -> tuple[Fraction | None, list[str], list[dict]]:
    """The exact mean score, the Chinese steps that give it, and each group's figures.

    Each voter group's valid votes are read from its counts (points × count); when it has
    more than 2N, its N highest and N lowest are dropped; "pooled" weighs every remaining
    vote by its group's weight, "group_means" averages each group first and weighs the
    means. A group with no valid vote left has no mean and no say."""
    points = dict(spec.points)
    groups = tally.groups or (GroupCounts("全体", Fraction(1), tally.weighted),)
    steps, figures = [], []
    total, weight_sum, mean_sum = Fraction(0), Fraction(0), Fraction(0)
    for g in groups:
        votes = sorted(
            ((points[o], Fraction(g.counts.get(o, 0))) for o in tally.scale if o in points),
            key=lambda v: v[0],
            reverse=True,
        )
        n = sum((c for _, c in votes), Fraction(0))
        dropped = spec.drop if spec.drop and n > 2 * spec.drop else 0
        if dropped:
            votes = list(reversed(_drop(list(reversed(_drop(votes, dropped))), dropped)))
        kept = n - 2 * dropped
        sum_points = sum((p * c for p, c in votes), Fraction(0))
        mean = sum_points / kept if kept else None
        figures.append(
            {
                "group": g.name,
                "valid": _json_num(n),
                "dropped": dropped,
                "points": _json_num(sum_points),
                "mean": _json_num(mean),
            }
        )
        if spec.drop and not dropped and n:
            how = f"有效票 {_num(n)} 张，不足 {2 * spec.drop + 1} 张，不去掉最高分、最低分，"
        elif dropped:
            how = f"有效票 {_num(n)} 张，去掉 {dropped} 个最高分和 {dropped} 个最低分，"
        else:
            how = f"有效票 {_num(n)} 张，"
        if not kept:
            if n or len(groups) > 1:
                steps.append(f"{g.name}无有效票，不计")
            continue
        weight = f"（权重 {_num(g.weight)}）" if len(groups) > 1 else ""
        steps.append(
            f"{g.name}{weight}{how}合计 {_num(sum_points)} 分 ÷ {_num(kept)} = {_num(mean)} 分"
        )
        if spec.combine == "group_means":
            mean_sum += g.weight * mean
            weight_sum += g.weight
        else:
            total += g.weight * sum_points
            weight_sum += g.weight * kept
    if not weight_sum:
        return None, [*steps, "没有有效票，无法计算平均分"], figures
    score = (mean_sum if spec.combine == "group_means" else total) / weight_sum
    if len(groups) > 1:
        how = "各类平均分按权重加权平均" if spec.combine == "group_means" else "每票按权重计入"
        steps.append(f"{how}，平均分 {_num(score)} 分")
    return score, steps, figures


def rank_with_ties(scores: list[Fraction | None]) -> list[int]:
    """Competition ranking (并列): equal exact scores share a rank, the next rank skips
    (100, 90, 90, 80 → 1, 2, 2, 4); a missing score ranks after every score."""
    known = [s for s in scores if s is not None]
    return [1 + sum(1 for o in known if o > s) if s is not None else 1 + len(known) for s in scores]


def apply_spec(spec: RuleSpec, outcomes: list[str], tally: Tally) -> Outcome:
    lowest = outcomes[-1]
    parts, numbers = [], {}
    score = None
    if spec.scored:
        score, steps, figures = score_of(spec, tally)
        numbers["score"] = {"value": _json_num(score), "groups": figures}
    t = spec.threshold
    if t is not None:
        value = _sum(tally.counts(t.counting), t.options)
        base = tally.base(t.base, t.counting)
        if base is None:
            raise RuleError(f"规则要用到{BASES[t.base]}，但尚未填写。")
        limit = base * t.share
        met = _compare(value, t.compare, limit)
        numbers["threshold"] = {"value": _json_num(value), "base": _json_num(base)}
        words = COMPARES[t.compare] if met else _NEGATED[t.compare]
        who = "（常委会组成人员）" if t.counting == "committee" else "（加权合计）"
        parts.append(
            f"{'+'.join(t.options)} {_num(value)} 票{who}，{BASES[t.base]} {_num(base)} 的"
            f"{share_text(t.share)}为 {_num(limit)}，{words}"
        )
        if met:
            if spec.scored:
                parts[-1] += "；" + "；".join(steps)
            return Outcome(
                lowest,
                rate_of(spec, tally),
                "，".join(parts) + f"，结果为{lowest}。",
                numbers,
                score,
            )
    counts = tally.counts(spec.counting)
    if spec.scored:
        scale = "、".join(f"{o} {_num(p)} 分" for o, p in spec.points)
        label = lowest
        if score is not None:
            label = next(
                (
                    b.outcome
                    for b in spec.bands
                    if (score > b.share if b.strict else score >= b.share)
                ),
                lowest,
            )
        parts.append(f"{scale}；" + "；".join(steps) + f"（{_score_band_text(spec, lowest)}）")
        return Outcome(label, None, "；".join(parts) + f"，结果为{label}。", numbers, score)
    if spec.method == "plurality":
        best = max(
            reversed(tally.scale), key=lambda o: counts.get(o, Fraction(0))
        )  # reversed: a tie goes to the lower option
        parts.append(
            f"得票最多的是{best}（{_num(counts.get(best, Fraction(0)))} 票，并列时取较低一档）"
        )
        return Outcome(best, rate_of(spec, tally), "；".join(parts) + f"，结果为{best}。", numbers)
    value = _sum(counts, spec.rate_options)
    base = tally.base(spec.rate_base, spec.counting)
    if base is None:
        raise RuleError(f"规则要用到{BASES[spec.rate_base]}，但尚未填写。")
    numbers["rate"] = {"value": _json_num(value), "base": _json_num(base)}
    band_text = _band_text(spec, lowest)
    if not base:
        parts.append(f"{BASES[spec.rate_base]}为 0，无法计算比率")
        return Outcome(lowest, None, "；".join(parts) + f"，结果为{lowest}。", numbers)
    share = value / base
    label = next(
        (b.outcome for b in spec.bands if (share > b.share if b.strict else share >= b.share)),
        lowest,
    )
    parts.append(
        f"{'+'.join(spec.rate_options)} {_num(value)} ÷ {BASES[spec.rate_base]} {_num(base)}"
        f" = {float(share * 100):.2f}%（{band_text}）"
    )
    return Outcome(label, share * 100, "；".join(parts) + f"，结果为{label}。", numbers)
