from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import roles_ensure_groups

        # Also runs after each test flush, so the role groups always exist.
        post_migrate.connect(roles_ensure_groups, sender=self)
