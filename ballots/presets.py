"""Named result rules (rule_presets.json): the same specs as rules.RuleSpec, written with role
tokens (@favourable, @unfavourable, @top, @0/@1/@-1 for outcomes; a score rule's points by
position, best option first) so that each applies to any ballot's own scale."""

import json
from pathlib import Path

from .rules import RuleError, RuleSpec

PRESETS_FILE = Path(__file__).with_name("rule_presets.json")


def presets() -> list[dict]:
    return json.loads(PRESETS_FILE.read_text(encoding="utf-8"))


def preset(key: str) -> dict:
    found = next((p for p in presets() if p["key"] == key), None)
    if found is None:
        raise RuleError("没有这个预设规则。")
    return found


def _resolve(token: str, *, options, outcomes, favourable) -> list[str]:
    if not token.startswith("@"):
        return [token]
    if token == "@favourable":
        return list(favourable)
    if token == "@unfavourable":
        return [options[-1]]
    if token == "@top":
        return [options[0]]
    index = int(token[1:])
    if -len(outcomes) <= index < len(outcomes):
        return [outcomes[index]]
    raise RuleError("该预设的档次多于本次测评的结果档次，不适用。")


def preset_spec(key: str, *, options, outcomes, favourable) -> RuleSpec:
    """A preset's rule resolved against a ballot's own options and outcome labels."""
    raw = json.loads(json.dumps(preset(key)["spec"]))

    def expand(tokens):
        return [
            label
            for token in tokens
            for label in _resolve(token, options=options, outcomes=outcomes, favourable=favourable)
        ]

    if raw.get("threshold"):
        raw["threshold"]["options"] = expand(raw["threshold"]["options"])
    raw["rate_options"] = expand(raw.get("rate_options") or [])
    for band in raw.get("bands") or []:
        band["outcome"] = expand([band["outcome"]])[0]
    if raw.get("points") and not isinstance(raw["points"][0], list):
        # A score preset lists its points by position, best option first.
        if len(raw["points"]) != len(options):
            raise RuleError("该预设的分值档数与本次测评的选项数不同，不适用。")
        raw["points"] = [[o, p] for o, p in zip(options, raw["points"], strict=True)]
    return RuleSpec.from_json(raw)
