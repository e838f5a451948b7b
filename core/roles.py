"""The roles of the system, as Django groups with permissions.

A user's roles are the groups they belong to; superusers count as office staff.
Role checks for pages go through `role_required`; object-level access lives in each
app's selectors (e.g. subjects.selectors.subject_for_user).
"""

from functools import wraps

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("评议办公室工作人员")
    LEADING_GROUP = "leading_group", _("述职评议工作领导小组")
    DIRECTORS_MEETING = "directors_meeting", _("主任会议")
    MEMBER = "member", _("常委会组成人员")
    SUBJECT = "subject", _("评议对象")
    LIAISON = "liaison", _("联系委室")


# The role sets, each named once and imported wherever a rule needs it.
# Those who read a campaign, its meetings and its published results.
CAMPAIGN_READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER)
# The committee's leadership and its office: briefings, the term record, the rule simulator.
LEADERSHIP = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING)
# Those who supervise the whole campaign: the office and the leading group.
SUPERVISORS = (Role.OFFICE, Role.LEADING_GROUP)


# Group names are what the office sees in the admin.
GROUP_NAMES = {role: str(role.label) for role in Role}
_ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}


def _project_apps() -> list[str]:
    """This project's own apps (those inside its directory), whatever they are called: core
    does not name the feature apps above it."""
    from django.conf import settings

    root = str(settings.BASE_DIR)
    return [
        c.label
        for c in apps.get_app_configs()
        if c.path.startswith(root) and ".venv" not in c.path and "site-packages" not in c.path
    ]


# (app_label, model) pairs the office may fully manage in the admin, besides the project apps.
_OFFICE_EXTRA = [("auth", "user"), ("django_celery_beat", None)]


def _permissions_for(role: Role) -> models.QuerySet[Permission]:
    perms = Permission.objects.none()
    if role == Role.OFFICE:
        perms = Permission.objects.filter(content_type__app_label__in=_project_apps()).exclude(
            # The audit log is written by services only.
            content_type__app_label="core",
            codename__in=["add_auditentry", "change_auditentry", "delete_auditentry"],
        )
        perms |= Permission.objects.filter(
            content_type__app_label="auth", content_type__model="user"
        ).exclude(codename="delete_user")
        perms |= Permission.objects.filter(content_type__app_label="auth", codename="view_group")
        perms |= Permission.objects.filter(content_type__app_label="django_celery_beat")
    elif role in (Role.LEADING_GROUP, Role.DIRECTORS_MEETING):
        perms = Permission.objects.filter(
            content_type__app_label__in=_project_apps(), codename__startswith="view_"
        )
    return perms


def roles_ensure_groups(sender=None, using: str = "default", **kwargs) -> None:
    """Create the role groups and give them their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        group.permissions.set(_permissions_for(role).using(using))


def user_roles(user) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(_ROLE_BY_GROUP[n] for n in names if n in _ROLE_BY_GROUP)
        if user.is_superuser:
            cached = cached | {Role.OFFICE}
        user._roles_cache = cached
    return cached


def user_has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def user_add_role(*, user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if hasattr(user, "_roles_cache"):
        del user._roles_cache


def role_required(*roles: Role):
    """View decorator: anonymous users go to login; users without any of `roles` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, *roles):
                raise PermissionDenied("您没有权限访问此页面。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
