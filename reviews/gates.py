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


# A check takes campaigns (all in the stage it guards) and returns each one's problems by
# campaign pk, reading what it needs for all of them at once: a page listing every
# campaign's gate runs each check once, not once per campaign.
Check = Callable[[list[Campaign]], dict[int, list[GateProblem]]]
_CHECKS: dict[str, list[Check]] = {}


def stage_gate_register(stage: str, check: Check) -> None:
    checks = _CHECKS.setdefault(stage, [])
    if check not in checks:
        checks.append(check)


def stage_gate_problems(campaign: Campaign, stage: str | None = None) -> list[GateProblem]:
    """Everything that keeps `campaign` in `stage` (its current one by default)."""
    return stage_gates_problems([campaign], stage)[campaign.pk]


def stage_gates_problems(
    campaigns: list[Campaign], stage: str | None = None
) -> dict[int, list[GateProblem]]:
    """stage_gate_problems of many campaigns (each in its current stage unless `stage` is
    given), each registered check run once for all the campaigns in its stage."""
    found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
    by_stage: dict[str, list[Campaign]] = {}
    for c in campaigns:
        by_stage.setdefault(stage or c.stage, []).append(c)
    for kind, group in by_stage.items():
        if kind == CampaignStage.CLOSED:
            continue
        for check in _CHECKS.get(kind, []):
            for pk, problems in check(group).items():
                found[pk].extend(problems)
    return found
