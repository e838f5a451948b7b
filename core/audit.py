from typing import Any

from django.db import models

from .models import AuditEntry


def audit_log(
    *,
    actor,
    action: str,
    summary: str,
    target: models.Model | None = None,
    campaign=None,
    subject=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one step. Call inside the service's transaction so a failed step leaves no entry."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        summary=summary[:500],
        campaign=campaign,
        subject=subject,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
