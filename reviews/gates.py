"""Stage gates: what must be true before a campaign leaves a stage forward.

The campaign owns the registry; the apps that own the work of a stage (the assessment,
the ballots, rectification) register their checks from their AppConfig.ready, so the
campaign never imports them. A check returns what is missing, each item a Chinese
sentence and, where there is one, a link to the page where it is done."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Campaign, CampaignStage


@dataclass(frozen=True)
class GateProblem:
    text: str
    url: str = ""


_CHECKS: dict[str, list[Callable[[Campaign], list[GateProblem]]]] = {}


def stage_gate_register(stage: str, check: Callable[[Campaign], list[GateProblem]]) -> None:
    checks = _CHECKS.setdefault(stage, [])
    if check not in checks:
        checks.append(check)


def stage_gate_problems(campaign: Campaign, stage: str | None = None) -> list[GateProblem]:
    """Everything that keeps `campaign` in `stage` (its current one by default)."""
    stage = stage or campaign.stage
    if stage == CampaignStage.CLOSED:
        return []
    return [p for check in _CHECKS.get(stage, []) for p in check(campaign)]
