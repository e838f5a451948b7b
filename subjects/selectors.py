"""Who may see which subject: the one place that decides it."""

from django.db.models import QuerySet
from django.http import Http404

from core.roles import Role, user_roles

from .models import Subject

# Roles that see every subject of every campaign.
_SEE_ALL = {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER}


def subjects_visible_to(user) -> QuerySet[Subject]:
    roles = user_roles(user)
    qs = Subject.objects.select_related("campaign", "unit", "liaison_committee", "user")
    if roles & _SEE_ALL:
        return qs
    if Role.LIAISON in roles and Role.SUBJECT in roles:
        return qs.filter(liaison_committee__users=user) | qs.filter(user=user)
    if Role.LIAISON in roles:
        return qs.filter(liaison_committee__users=user)
    if Role.SUBJECT in roles:
        return qs.filter(user=user)
    return qs.none()


def subject_for_user(*, user, pk: int) -> Subject:
    """The subject if `user` may see it; otherwise 404, so its existence is not revealed."""
    subject = subjects_visible_to(user).filter(pk=pk).first()
    if subject is None:
        raise Http404("没有找到该评议对象。")
    return subject


def subjects_of_user(user) -> QuerySet[Subject]:
    """The subject records whose login is `user` (one per campaign they are reviewed in)."""
    return (
        Subject.objects.filter(user=user)
        .select_related("campaign", "unit", "liaison_committee")
        .order_by("-campaign__year", "campaign__name")
    )
