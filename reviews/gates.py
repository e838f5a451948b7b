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
# campaign's gate runs each check once, not once per campaign. With `limit` (keyword) it
# writes out at most that many problems per campaign and counts the rest (GateProblems).
Check = Callable[..., dict[int, list[GateProblem]]]


class GateProblems:
    """A check's problems by campaign pk. With a `limit`, only the first `limit` of each
    campaign are written out (their text and link made then: pass callables) and the rest
    are counted into one last problem, so an overview of fifty campaigns of a hundred
    subjects each shows a few lines per campaign, not thousands."""

    def __init__(self, campaigns, limit: int | None = None):
        self.found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
        self.more: dict[int, int] = dict.fromkeys(self.found, 0)
        self.limit = limit

    def add(self, campaign_id: int, text, url="") -> None:
        if self.limit is not None and len(self.found[campaign_id]) >= self.limit:
            self.more[campaign_id] += 1
            return
        self.found[campaign_id].append(
            GateProblem(text() if callable(text) else text, url() if callable(url) else url)
        )

    def result(self) -> dict[int, list[GateProblem]]:
        for pk, more in self.more.items():
            if more:
                self.found[pk].append(GateProblem(f"……另有 {more} 项"))
        return self.found


_CHECKS: dict[str, list[Check]] = {}


def stage_gate_register(stage: str, check: Check) -> None:
    checks = _CHECKS.setdefault(stage, [])
    if check not in checks:
        checks.append(check)


def stage_gate_problems(campaign: Campaign, stage: str | None = None) -> list[GateProblem]:
    """Everything that keeps `campaign` in `stage` (its current one by default)."""
    return stage_gates_problems([campaign], stage)[campaign.pk]


def stage_gates_problems(
    campaigns: list[Campaign], stage: str | None = None, *, limit: int | None = None
) -> dict[int, list[GateProblem]]:
    """stage_gate_problems of many campaigns (each in its current stage unless `stage` is
    given), each registered check run once for all the campaigns in its stage; with
    `limit`, each check's first `limit` problems per campaign and a count of the rest."""
    found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
    by_stage: dict[str, list[Campaign]] = {}
    for c in campaigns:
        by_stage.setdefault(stage or c.stage, []).append(c)
    for kind, group in by_stage.items():
        if kind == CampaignStage.CLOSED:
            continue
        for check in _CHECKS.get(kind, []):
            for pk, problems in check(group, limit=limit).items():
                found[pk].extend(problems)
    return found
