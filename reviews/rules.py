"""Result rules of the satisfaction ballot (测评结果规则). Pure functions, no database.

Every rule receives the same inputs and returns an Outcome whose `explanation` says, in
Chinese, which numbers decided it. The rule's code and parameters are copied into each
stored result, so a result can be explained after the rule's defaults change.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db import models

SATISFIED = "满意"
UNSATISFIED = "不满意"


class ResultRule(models.TextChoices):
    UNFAVOURABLE_OVER_HALF = "a", "不满意票超过组成人员总数的一半为不满意（默认）"
    FAVOURABLE_AT_MOST_HALF = "b", "满意和基本满意票之和不超过组成人员总数的一半为不满意"
    FAVOURABLE_TWO_THIRDS = "c", "满意和基本满意票之和达到有效票的三分之二为满意"
    RATE_BANDS = "d", "按满意率分档（满意率 = 满意和基本满意票 ÷ 有效票或发出票）"


DEFAULT_BANDS = [[80, "满意"], [50, "基本满意"], [0, "不满意"]]


@dataclass(frozen=True)
class TallyInput:
    counts: dict[str, Fraction]  # option -> (weighted) count
    favourable: list[str]  # options counted as favourable, e.g. 满意, 基本满意
    unfavourable: str  # e.g. 不满意
    composition: int  # 组成人员总数
    valid: Fraction  # valid ballots for this subject (abstentions excluded)
    issued: Fraction  # ballots issued
    composition_counts: dict[str, Fraction] | None = None  # committee members' own counts

    @property
    def favourable_count(self) -> Fraction:
        return sum((self.counts.get(o, Fraction(0)) for o in self.favourable), Fraction(0))


@dataclass(frozen=True)
class Outcome:
    label: str
    rate: Fraction | None
    explanation: str


def _num(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):.2f}"


def _composition_counts(t: TallyInput) -> dict[str, Fraction]:
    # Rules measured against the composition count the committee members' own ballots.
    return t.composition_counts if t.composition_counts is not None else t.counts


def rule_a(t: TallyInput, params: dict) -> Outcome:
    against = _composition_counts(t).get(t.unfavourable, Fraction(0))
    half = Fraction(t.composition, 2)
    label = UNSATISFIED if against > half else SATISFIED
    return Outcome(
        label,
        _rate(t, params),
        f"{t.unfavourable} {_num(against)} 票，组成人员总数 {t.composition} 人的一半为 {_num(half)}，{'超过' if against > half else '未超过'}一半，结果为{label}。",
    )


def rule_b(t: TallyInput, params: dict) -> Outcome:
    counts = _composition_counts(t)
    fav = sum((counts.get(o, Fraction(0)) for o in t.favourable), Fraction(0))
    half = Fraction(t.composition, 2)
    label = UNSATISFIED if fav <= half else SATISFIED
    return Outcome(
        label,
        _rate(t, params),
        f"{'+'.join(t.favourable)} {_num(fav)} 票，组成人员总数 {t.composition} 人的一半为 {_num(half)}，{'不超过' if fav <= half else '超过'}一半，结果为{label}。",
    )


def rule_c(t: TallyInput, params: dict) -> Outcome:
    fav = t.favourable_count
    needed = t.valid * Fraction(2, 3)
    label = SATISFIED if t.valid and fav >= needed else UNSATISFIED
    return Outcome(
        label,
        _rate(t, params),
        f"{'+'.join(t.favourable)} {_num(fav)} 票，有效票 {_num(t.valid)} 的三分之二为 {_num(needed)}，{'达到' if label == SATISFIED else '未达到'}，结果为{label}。",
    )


def _rate(t: TallyInput, params: dict) -> Fraction | None:
    base = t.issued if params.get("rate_base") == "issued" else t.valid
    return t.favourable_count / base * 100 if base else None


def rule_d(t: TallyInput, params: dict) -> Outcome:
    rate = _rate(t, params)
    base_name = "发出票" if params.get("rate_base") == "issued" else "有效票"
    if rate is None:
        return Outcome(UNSATISFIED, None, f"{base_name}为 0，无法计算满意率。")
    bands = sorted(params.get("bands") or DEFAULT_BANDS, key=lambda b: -b[0])
    label = next((name for floor, name in bands if rate >= floor), bands[-1][1])
    return Outcome(
        label,
        rate,
        f"满意率 = {'+'.join(t.favourable)} {_num(t.favourable_count)} ÷ {base_name} = {float(rate):.1f}%，按 {'、'.join(f'≥{f}% {n}' for f, n in bands)} 分档，结果为{label}。",
    )


RULES = {
    ResultRule.UNFAVOURABLE_OVER_HALF: rule_a,
    ResultRule.FAVOURABLE_AT_MOST_HALF: rule_b,
    ResultRule.FAVOURABLE_TWO_THIRDS: rule_c,
    ResultRule.RATE_BANDS: rule_d,
}


def apply_rule(rule: str, params: dict, tally: TallyInput) -> Outcome:
    return RULES[ResultRule(rule)](tally, params)


def validate_params(rule: str, params: dict) -> list[str]:
    problems = []
    if params.get("rate_base", "valid") not in ("valid", "issued"):
        problems.append("满意率的分母只能是有效票或发出票。")
    if rule == ResultRule.RATE_BANDS:
        bands = params.get("bands") or DEFAULT_BANDS
        try:
            floors = [float(b[0]) for b in bands]
            names = [str(b[1]).strip() for b in bands]
        except (TypeError, ValueError, IndexError):
            return ["分档格式不正确，应为 [下限, 名称] 的列表。"]
        if not all(0 <= f <= 100 for f in floors) or 0 not in floors or not all(names):
            problems.append("分档下限应在 0 到 100 之间，且必须有一档从 0 开始，每档须有名称。")
        if len(set(floors)) != len(floors):
            problems.append("分档下限不能重复。")
    return problems
