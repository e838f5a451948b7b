"""Audit actions of briefings, with their Chinese names (see core.audit).
State moves are registered by their workflows."""

from django.db import models


class AuditAction(models.TextChoices):
    BRIEFING_CREATE = "briefing.create", "编写情况简报"
    # 签发 is now the workflow's move, `briefing.issued`; kept for the entries written before.
    BRIEFING_ISSUE = "briefing.issue", "签发情况简报"
