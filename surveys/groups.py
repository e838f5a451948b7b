"""Who belongs to which assessment group, and which group a subject is in: the one rule.

A user is in a group as its leader (组长) or as one of its members (组员). Every check of
"a member of the subject's assessment group" — the surveys pages and services, the
rectification oversight of the groups, and the duty-report drafts a group reads (the
subjects app asks through subjects.selectors.subject_readers_register) — derives from
`groups_of_user` here.
"""

from django.db.models import Q, QuerySet

from core.roles import Role, user_has_role
from subjects.models import Subject

from .models import AssessmentGroup


def groups_of_user(user) -> QuerySet[AssessmentGroup]:
    """The groups `user` leads or sits in."""
    if not user.is_authenticated:
        return AssessmentGroup.objects.none()
    return AssessmentGroup.objects.filter(Q(leader=user) | Q(members=user)).distinct()


def is_group_member(user, group: AssessmentGroup | None) -> bool:
    return group is not None and groups_of_user(user).filter(pk=group.pk).exists()


def group_writer(user, group: AssessmentGroup | None) -> bool:
    """Who records a group's investigation work: its own people, and the office for any."""
    return user_has_role(user, Role.OFFICE) or is_group_member(user, group)


def subject_group(subject: Subject) -> AssessmentGroup | None:
    """The subject's assessment group, or None when the office has not assigned one.
    (select_related("group_assignment__group") spares the query.)"""
    assignment = getattr(subject, "group_assignment", None)
    return assignment.group if assignment is not None else None


def subjects_in_groups(groups) -> QuerySet[Subject]:
    return Subject.objects.filter(group_assignment__group__in=groups)


def subjects_of_group_members_q(user) -> Q:
    """Subjects whose assessment group `user` is in, as a filter on Subject."""
    return Q(pk__in=subjects_in_groups(groups_of_user(user)).values("pk"))
