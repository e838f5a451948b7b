from django.utils.functional import SimpleLazyObject

from core.models import Notification
from core.roles import Role, user_roles
from surveys.selectors import groups_of_user


def roles(request) -> dict:
    user_role_set = user_roles(request.user) if hasattr(request, "user") else frozenset()

    def in_assessment_group() -> bool:

        return groups_of_user(request.user).exists()

    def unread() -> int:

        return Notification.objects.filter(user=request.user, read_at__isnull=True).count()

    return {
        "unread_notifications": SimpleLazyObject(unread) if user_role_set else 0,
        "in_assessment_group": SimpleLazyObject(in_assessment_group) if user_role_set else False,
        "user_roles": user_role_set,
        "user_role_labels": [r.label for r in Role if r in user_role_set],
        "is_office": Role.OFFICE in user_role_set,
    }
