from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .roles import roles_ensure_groups

        # Also runs after each test flush, so the role groups always exist.
        post_migrate.connect(roles_ensure_groups, sender=self)
        user_logged_in.connect(_password_change_check, dispatch_uid="core.password_change_check")
        user_logged_in.connect(_preference_load, dispatch_uid="core.preference_load")


def _password_change_check(sender, request, user, **kwargs) -> None:
    """Remember in the session whether this login must first change its password."""
    from .middleware import PASSWORD_CHANGE_REQUIRED
    from .models import PasswordChangeRequired

    if request is not None and PasswordChangeRequired.objects.filter(user=user).exists():
        request.session[PASSWORD_CHANGE_REQUIRED] = True


def _preference_load(sender, request, user, **kwargs) -> None:
    """Carry the login's 大字模式 into its session, so that no page asks the database."""
    from .models import UserPreference
    from .preferences import LARGE_TEXT

    if request is not None:
        request.session[LARGE_TEXT] = UserPreference.objects.filter(
            user=user, large_text=True
        ).exists()
