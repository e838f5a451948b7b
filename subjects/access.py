"""The one access rule of a review subject's own business: the subject's liaison committee
or the subject itself (and, for a move that names them, the office and the director's
meeting on every subject).

`subject_acts_for` decides it for one subject (the access rule of the workflow tables in
subjects.workflows and rectification.workflows); `liaison_or_self_q` is the same rule as a
filter on subjects, for lists (subjects_visible_to, the liaison committee's work).
"""

from django.db.models import Q

from core.roles import Role, user_has_role, user_roles

# Roles that act on every subject when a move names them.
_ON_EVERY_SUBJECT = (Role.OFFICE, Role.DIRECTORS_MEETING)


def liaison_or_self_q(user, *, liaison: bool = True, own: bool = True, prefix: str = "") -> Q:
    """Subjects the user liaises with (as a liaison committee's staff) or is (as the review
    subject); `liaison`/`own` pick one half; `prefix` reaches the subject through a
    relation (e.g. "subject__")."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    roles = user_roles(user)
    found = Q(pk__in=[])
    if liaison and Role.LIAISON in roles:
        found |= Q(**{f"{prefix}liaison_committee__users": user})
    if own and Role.SUBJECT in roles:
        found |= Q(**{f"{prefix}user": user})
    return found


def liaises_with(user, subject) -> bool:
    """Whether `user` is on the staff of `subject`'s liaison committee."""
    return (
        user.is_authenticated
        and Role.LIAISON in user_roles(user)
        and subject.liaison_committee_id is not None
        and subject.liaison_committee.users.filter(pk=user.pk).exists()
    )


def subject_acts_for(user, subject, roles: tuple[Role, ...]) -> bool:
    """Whether `user` may take a step with `roles` on `subject`: the office and the
    director's meeting on every subject, a review subject only on their own, a liaison
    committee only on the subjects it liaises with."""
    if user_has_role(user, *(r for r in roles if r in _ON_EVERY_SUBJECT)):
        return True
    if Role.SUBJECT in roles and user.is_authenticated and subject.user_id == user.pk:
        return True
    return Role.LIAISON in roles and liaises_with(user, subject)
