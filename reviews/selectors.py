"""Reads of campaigns for pages that more than one role uses."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import Campaign, Member, StageTransition
from .workflows import STAGE_ORDER


def campaign_stage_rows(campaign: Campaign, today: datetime.date | None = None) -> list[dict]:
    """The four stages with their state (done / current / upcoming) for a timeline."""
    today = today or timezone.localdate()
    current_index = STAGE_ORDER.index(campaign.stage)
    rows = []
    for stage in campaign.stages.all():
        index = STAGE_ORDER.index(stage.kind)
        state = (
            "done" if index < current_index else "current" if index == current_index else "upcoming"
        )
        overdue = state == "current" and stage.planned_end is not None and stage.planned_end < today
        rows.append({"stage": stage, "state": state, "overdue": overdue})
    return rows


def campaign_transitions(campaign: Campaign) -> QuerySet[StageTransition]:
    return campaign.transitions.select_related("actor").order_by("-at", "-id")


def members_composition_count() -> int:
    return Member.objects.filter(is_active=True, counts_toward_composition=True).count()
