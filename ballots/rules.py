"""Result rules (测评结果规则): data, not code. Pure functions, no database.

A rule is a RuleSpec stored as JSON on the ballot:
- an optional threshold test that assigns the scale's lowest outcome, e.g. 不满意 votes
  > 1/2 of the composition, or 满意 + 基本满意 <= 1/2 of the composition;
- then either bands on a rate (chosen options ÷ a base, each band strict or not, each
  naming one of the scale's own outcome labels; below every band, the lowest outcome), a
  plurality (the option with most votes, ties going to the lower one), or a score
  (按分值计分): points per option, the mean over valid votes per voter group, combined
  with the groups' weights, after dropping the N highest and N lowest votes of each group
  (computed from the counts: no sheet is opened), with bands on the score and a ranking
  with ties (并列: 1, 2, 2, 4).

Options on the sheet that count as returned but not valid (不了解) are named by the rule
(`not_counted`): they are sheet slots after the ballot's own options, counted in the
ballots cast and never in the valid base.

Bases: the composition (组成人员总数), members present, ballots issued, ballots cast
(returned) and valid ballots, each either of the committee's own votes or weighted over
every voter group. Comparisons use exact fractions, so "exactly 2/3" is exactly 2/3.

Named presets (rule_presets.json) are the same specs written with role tokens
(@favourable, @unfavourable, @top, @0/@1/@-1 for outcomes), so each can be applied to any
ballot's own scale. Every Outcome carries the numbers it used and a Chinese sentence that
lets anyone redo the decision by hand.
"""

from dataclasses import dataclass, field
from fractions import Fraction

BASES = {
    "composition": "组成人员总数",
    "present": "出席人数",
    "issued": "发出票",
    "cast": "收回票",
    "valid": "有效票",
}
COMPARES = {"gt": "超过", "ge": "达到", "le": "不超过", "lt": "少于"}
COUNTINGS = {"committee": "常委会组成人员的票", "weighted": "各类投票人加权合计"}
METHODS = {"bands": "按比率分档", "plurality": "得票最多的选项", "score": "按平均分分档"}
COMBINES = {
    "pooled": "每票按所属类别的权重计入平均分",
    "group_means": "各类投票人分别求平均分，再按权重加权平均",
}
MAX_DROP = 50
_NEGATED = {"gt": "未超过", "ge": "未达到", "le": "超过", "lt": "不少于"}
_SHARE_WORDS = {
    Fraction(1, 2): "一半",
    Fraction(1, 3): "三分之一",
    Fraction(2, 3): "三分之二",
    Fraction(1, 4): "四分之一",
    Fraction(3, 4): "四分之三",
}


class RuleError(ValueError):
    """A rule that cannot be read or does not fit the ballot; the message is Chinese."""


def parse_share(raw) -> Fraction:
    """'80%', '2/3', '0.5', 0.8 or [2, 3] → a Fraction between 0 and 1."""
    try:
        if isinstance(raw, list | tuple):
            value = Fraction(int(raw[0]), int(raw[1]))
        else:
            text = str(raw).strip().replace("％", "%")
            value = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError, IndexError, TypeError):
        raise RuleError(f"“{raw}”不是有效的比例，请写成 80%、2/3 或 0.5。") from None
    if not 0 <= value <= 1:
        raise RuleError(f"比例“{raw}”应在 0 到 100% 之间。")
    return value


def parse_points(raw) -> Fraction:
    """'100', 85.5, '171/2' → a Fraction between 0 and 10000 (points or a score band)."""
    try:
        if isinstance(raw, bool):
            raise TypeError
        value = Fraction(str(raw).strip())
    except (ValueError, ZeroDivisionError, TypeError):
        raise RuleError(f"“{raw}”不是有效的分值，请写成 100、85.5 这样的数。") from None
    if not 0 <= value <= 10000:
        raise RuleError(f"分值“{raw}”应在 0 到 10000 之间。")
    return value


def points_json(value: Fraction):
    """Points as JSON: an integer, else the exact fraction as text ('171/2')."""
    return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def share_text(value: Fraction, *, words: bool = True) -> str:
    """一半 / 三分之二 for thresholds; 80% for bands, unless a percent would not be exact."""
    if words and value in _SHARE_WORDS:
        return _SHARE_WORDS[value]
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return _SHARE_WORDS.get(value) or f"{value.numerator}/{value.denominator}"


def _band_text(spec: "RuleSpec", lowest: str) -> str:
    if spec.method == "score":
        return _score_band_text(spec, lowest)
    parts, rest = [], lowest
    for b in spec.bands:
        if b.share == 0 and not b.strict:
            rest = b.outcome
            break
        parts.append(
            f"{'超过' if b.strict else '达到'}{share_text(b.share, words=False)}为{b.outcome}"
        )
    return "，".join([*parts, f"其余为{rest}"])


def _score_band_text(spec: "RuleSpec", lowest: str) -> str:
    parts = [
        f"{'超过' if b.strict else '达到'} {_num(b.share)} 分为{b.outcome}" for b in spec.bands
    ]
    return "，".join([*parts, f"其余为{lowest}"])


def share_json(value: Fraction) -> str:
    percent = value * 100
    return (
        f"{percent.numerator}%"
        if percent.denominator == 1
        else f"{value.numerator}/{value.denominator}"
    )


def _num(value: Fraction | int) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(int(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Threshold:
    options: tuple[str, ...]
    compare: str
    share: Fraction
    base: str
    counting: str = "committee"


@dataclass(frozen=True)
class Band:
    share: Fraction  # a share of the base (0..1), or, for a score rule, the score itself
    strict: bool
    outcome: str


@dataclass(frozen=True)
class RuleSpec:
    threshold: Threshold | None
    method: str = "bands"
    rate_options: tuple[str, ...] = ()
    rate_base: str = "valid"
    counting: str = "weighted"
    bands: tuple[Band, ...] = ()
    # Score rules (method "score"): points per valid option, in the scale's order.
    points: tuple[tuple[str, Fraction], ...] = ()
    drop: int = 0  # the N highest and N lowest votes dropped in each voter group
    combine: str = "pooled"
    # Sheet options counted as returned but never valid (不了解), any method.
    not_counted: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        return self.method == "score"

    def to_json(self) -> dict:
        if self.scored:
            bands = [
                {"score": points_json(b.share), "strict": b.strict, "outcome": b.outcome}
                for b in self.bands
            ]
        else:
            bands = [
                {"share": share_json(b.share), "strict": b.strict, "outcome": b.outcome}
                for b in self.bands
            ]
        data = {
            "threshold": None,
            "method": self.method,
            "rate_options": list(self.rate_options),
            "rate_base": self.rate_base,
            "counting": self.counting,
            "bands": bands,
        }
        if self.scored:
            data["points"] = [[o, points_json(p)] for o, p in self.points]
            data["drop"] = self.drop
            data["combine"] = self.combine
        if self.not_counted:
            data["not_counted"] = list(self.not_counted)
        if self.threshold:
            t = self.threshold
            data["threshold"] = {
                "options": list(t.options),
                "compare": t.compare,
                "share": share_json(t.share),
                "base": t.base,
                "counting": t.counting,
            }
        return data

    @classmethod
    def from_json(cls, data) -> "RuleSpec":
        if not isinstance(data, dict):
            raise RuleError("结果规则格式不正确。")
        try:
            raw = data.get("threshold")
            threshold = (
                Threshold(
                    options=tuple(str(o) for o in raw["options"]),
                    compare=str(raw["compare"]),
                    share=parse_share(raw["share"]),
                    base=str(raw["base"]),
                    counting=str(raw.get("counting", "committee")),
                )
                if raw
                else None
            )
            method = str(data.get("method", "bands"))
            bands = tuple(
                Band(
                    parse_points(b["score"]) if method == "score" else parse_share(b["share"]),
                    bool(b.get("strict")),
                    str(b["outcome"]),
                )
                for b in data.get("bands") or []
            )
            raw_points = data.get("points") or []
            if isinstance(raw_points, dict):
                raw_points = list(raw_points.items())
            points = tuple((str(o), parse_points(p)) for o, p in raw_points)
            drop = data.get("drop", 0)
            if isinstance(drop, bool) or not isinstance(drop, int | str):
                raise TypeError
            try:
                drop = int(drop)
            except ValueError:
                raise RuleError(f"去掉最高分、最低分的个数“{drop}”不是整数。") from None
            return cls(
                threshold=threshold,
                method=method,
                rate_options=tuple(str(o) for o in data.get("rate_options") or []),
                rate_base=str(data.get("rate_base", "valid")),
                counting=str(data.get("counting", "weighted")),
                bands=bands,
                points=points,
                drop=drop,
                combine=str(data.get("combine", "pooled")),
                not_counted=tuple(str(o) for o in data.get("not_counted") or []),
            )
        except RuleError:
            raise
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            raise RuleError("结果规则格式不正确。") from None


def spec_problems(spec: RuleSpec, *, options: list[str], outcomes: list[str]) -> list[str]:
    """Everything wrong with a rule for a ballot with these options and outcomes, in Chinese."""
    problems = []
    if len(outcomes) < 2 or len(set(outcomes)) != len(outcomes) or not all(outcomes):
        problems.append("测评结果的档次至少两档，不能重复或为空。")
    t = spec.threshold
    if t is not None:
        if not t.options or not set(t.options) <= set(options):
            problems.append("门槛条件所计的选项须是本次测评的选项。")
        if t.compare not in COMPARES:
            problems.append("门槛条件的比较方式无效。")
        if t.base not in BASES:
            problems.append("门槛条件的基数无效。")
        if t.counting not in COUNTINGS:
            problems.append("门槛条件的计票口径无效。")
        if not 0 < t.share <= 1:
            problems.append("门槛比例应大于 0、不超过 100%。")
    if spec.method not in METHODS:
        problems.append("结果的确定方式无效。")
    if spec.counting not in COUNTINGS:
        problems.append("计票口径无效。")
    if spec.method == "bands":
        if not spec.rate_options or not set(spec.rate_options) <= set(options):
            problems.append("满意率所计的选项须是本次测评的选项。")
        if spec.rate_base not in BASES:
            problems.append("满意率的分母无效。")
        if not spec.bands:
            problems.append("请至少设置一档（例如 ≥80% 为满意）。")
        shares = [b.share for b in spec.bands]
        if shares != sorted(shares, reverse=True) or len(set(shares)) != len(shares):
            problems.append("各档比例须从高到低排列，且不能重复。")
        unknown = [b.outcome for b in spec.bands if b.outcome not in outcomes]
        if unknown:
            problems.append(f"档次“{'、'.join(unknown)}”不是本次测评的结果档次。")
    elif spec.method == "score":
        named = [o for o, _ in spec.points]
        if len(set(named)) != len(named) or set(named) != set(options):
            problems.append("按分值计分时，每个有效选项都须有且只有一个分值。")
        if not 0 <= spec.drop <= MAX_DROP:
            problems.append(f"去掉最高分、最低分的个数应在 0 到 {MAX_DROP} 之间。")
        if spec.combine not in COMBINES:
            problems.append("平均分的合计方式无效。")
        if not spec.bands:
            problems.append("请至少设置一档（例如 ≥90 分为满意）。")
        scores = [b.share for b in spec.bands]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            problems.append("各档分数须从高到低排列，且不能重复。")
        unknown = [b.outcome for b in spec.bands if b.outcome not in outcomes]
        if unknown:
            problems.append(f"档次“{'、'.join(unknown)}”不是本次测评的结果档次。")
    elif spec.method == "plurality":
        missing = [o for o in options if o not in outcomes]
        if missing:
            problems.append(
                f"按得票最多确定结果时，每个选项都须是结果档次（缺少：{'、'.join(missing)}）。"
            )
    if spec.not_counted:
        clash = [o for o in spec.not_counted if not o or o in options or o == "弃权"]
        if clash or len(set(spec.not_counted)) != len(spec.not_counted):
            problems.append(
                "不计入有效票的选项（如“不了解”）不能为空、重复，也不能与测评选项或“弃权”相同。"
            )
        if len(spec.not_counted) > 3 or any(len(o) > 20 for o in spec.not_counted):
            problems.append("不计入有效票的选项至多 3 个，每个 20 字以内。")
    return problems


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


def describe(spec: RuleSpec, outcomes: list[str]) -> str:
    """The rule in one Chinese sentence, for the office's live preview and the README."""
    lowest = outcomes[-1] if outcomes else "最低一档"
    parts = []
    t = spec.threshold
    if t is not None:
        who = "常委会组成人员的" if t.counting == "committee" else "加权合计的"
        parts.append(
            f"{who}{'+'.join(t.options)}票{COMPARES.get(t.compare, '?')}"
            f"{BASES.get(t.base, '?')}的{share_text(t.share)}，为{lowest}"
        )
    if spec.method == "plurality":
        parts.append(
            "否则以得票最多的选项为结果（并列取较低一档）" if parts else "以得票最多的选项为结果"
        )
    elif spec.scored:
        scale = "、".join(f"{o} {_num(p)} 分" for o, p in spec.points)
        drop = (
            f"各类投票人分别去掉 {spec.drop} 个最高分和 {spec.drop} 个最低分后，"
            if spec.drop
            else ""
        )
        combine = "（各类投票人的平均分按权重加权平均）" if spec.combine == "group_means" else ""
        lead = "否则" if parts else ""
        parts.append(
            f"{lead}按分值计分（{scale}），{drop}以有效票的平均分{combine}分档："
            f"{_score_band_text(spec, lowest)}；得分相同的名次并列"
        )
    else:
        rate = f"（{'+'.join(spec.rate_options)}）÷ {BASES.get(spec.rate_base, '?')}"
        if len(spec.bands) == 1 and spec.bands[0].share == 0 and not spec.bands[0].strict:
            parts.append(
                f"否则为{spec.bands[0].outcome}" if parts else f"一律为{spec.bands[0].outcome}"
            )
        else:
            lead = "否则按" if parts else "按"
            parts.append(f"{lead}{rate}的比率分档：{_band_text(spec, lowest)}")
    if spec.not_counted:
        parts.append(f"“{'、'.join(spec.not_counted)}”计入收回票，不计入有效票")
    return "；".join(parts) + "。"
