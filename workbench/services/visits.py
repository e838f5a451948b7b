"""When a person last looked at 我的工作."""

import datetime

from django.db import transaction

from ..models import WorkVisit

# Requests closer together than this are one visit: what was new stays on the page while
# the person follows its links and comes back.
VISIT_GAP = datetime.timedelta(hours=2)


@transaction.atomic
def work_visit_record(*, user, now: datetime.datetime) -> datetime.datetime | None:
    """Record this visit; return when the previous one began (None: never, or the first)."""
    visit, created = WorkVisit.objects.select_for_update().get_or_create(
        user=user, defaults={"last_at": now}
    )
    if created:
        return None
    if now - visit.last_at > VISIT_GAP:
        visit.previous_at = visit.last_at
    visit.last_at = now
    visit.save(update_fields=["previous_at", "last_at"])
    return visit.previous_at
