"""The rule itself: its vocabulary, parsing of shares and points, the RuleSpec with its
checks (spec_problems), and the Chinese sentence that describes it (describe).
Pure functions, no database (see this package's docstring)."""

from dataclasses import dataclass
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
