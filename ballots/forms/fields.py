"""The parts of the ballot set-up form: label lists, bands, points, voter groups and a
share typed as a number or a fraction, and a rule as the form's field values."""

import re
from decimal import Decimal, InvalidOperation

from django import forms

from ..presets import preset_spec, presets
from ..rules import (
    RuleError,
    parse_share,
    points_json,
    share_json,
)

_SPLIT = re.compile(r"[、,，;；/\s]+")
MAX_TEXT = 300


def split_labels(text: str) -> list[str]:
    return [p for p in _SPLIT.split(text or "") if p]


def rule_fields(spec) -> dict:
    """A rule as the form's rule-builder field values (the inverse of rule_spec())."""
    t = spec.threshold
    return {
        "threshold_on": t is not None,
        "threshold_options": "、".join(t.options) if t else "",
        "threshold_counting": t.counting if t else "committee",
        "threshold_compare": t.compare if t else "gt",
        "threshold_share": share_json(t.share) if t else "1/2",
        "threshold_base": t.base if t else "composition",
        "method": spec.method,
        "rate_options": "、".join(spec.rate_options),
        "rate_base": spec.rate_base,
        "counting": spec.counting,
        "bands": "\n".join(
            f"{'>' if b.strict else '>='}"
            f"{points_json(b.share) if spec.scored else share_json(b.share)} {b.outcome}"
            for b in spec.bands
        ),
        "points": "\n".join(f"{o} {points_json(p)}" for o, p in spec.points),
        "drop": spec.drop,
        "combine": spec.combine,
        "not_counted": "、".join(spec.not_counted),
    }


def preset_fields() -> dict:
    """Each preset as the form's own field values, for the page's preset picker."""
    out = {}
    for p in presets():
        spec = preset_spec(
            p["key"], options=p["scale"], outcomes=p["outcomes"], favourable=p["favourable"]
        )
        out[p["key"]] = {
            "options": list(p["scale"]),
            "outcomes": list(p["outcomes"]),
            "favourable": list(p["favourable"]),
            **rule_fields(spec),
        }
    return out


def parse_bands(text: str) -> list[dict]:
    """Lines like '>=80% 满意' or '>2/3 满意' (≥ is the default) → band dicts."""
    bands = []
    for line in (text or "").splitlines():
        line = line.strip().replace("≥", ">=").replace("＞", ">")
        if not line:
            continue
        match = re.fullmatch(r"(>=|>)?\s*([0-9./%％]+)\s+(\S+)", line)
        if not match:
            raise RuleError(f"分档“{line}”看不懂：请写成“>=80% 满意”或“>2/3 满意”，每行一档。")
        bands.append(
            {"share": match.group(2), "strict": match.group(1) == ">", "outcome": match.group(3)}
        )
    return bands


def parse_points(text: str) -> list[list]:
    """Lines (or 、-separated pairs) like '满意 100' → [[option, points]]."""
    points = []
    for part in re.split(r"[\n、,，;；]+", text or ""):
        words = part.split()
        if not words:
            continue
        if len(words) != 2:
            raise RuleError(f"分值“{part.strip()}”看不懂：请写成“满意 100”，每行一个选项。")
        points.append([words[0], words[1]])
    return points


def parse_groups(text: str) -> list[tuple[str, Decimal]]:
    """Lines like '人大代表 0.5' → (name, weight)."""
    groups = []
    for line in (text or "").splitlines():
        parts = line.split()
        if not parts:
            continue
        try:
            weight = Decimal(parts[-1]) if len(parts) > 1 else Decimal(1)
        except InvalidOperation:
            raise RuleError(f"“{line.strip()}”的权重不是数字：请写成“人大代表 0.5”。") from None
        name = " ".join(parts[:-1]) if len(parts) > 1 else parts[0]
        groups.append((name, weight))
    return groups


class ShareField(forms.CharField):
    """A share, typed as a fraction, a percentage or a decimal (1/2, 2/3, 60%, 0.5): checked
    as it is typed into the rule builder (its live sentence lists the field's message) and
    on saving, with the message in Chinese; stored as ballots.rules writes shares."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", {"required": "请填写比例，例如 1/2、2/3 或 60%。"})
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            share = parse_share(value)
        except RuleError as exc:
            raise forms.ValidationError(str(exc), code="share") from None
        if share == 0:
            raise forms.ValidationError("比例应大于 0。", code="share")
        return share_json(share)


def _labels_outside(text: str, allowed: list[str]) -> list[str]:
    return [label for label in split_labels(text) if label not in allowed]
