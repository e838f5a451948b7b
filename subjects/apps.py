from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = "评议对象"

    def ready(self) -> None:
        from core.audit import audit_actions_register
        from core.imports import importer_register

        from . import workflows  # noqa: F401 - registers the duty report's table
        from .audit import AuditAction
        from .imports import subjects_check, subjects_create, subjects_logins_needed

        audit_actions_register(AuditAction)

        importer_register(
            "subjects",
            label="评议对象导入",
            check=subjects_check,
            logins_needed=subjects_logins_needed,
            create=subjects_create,
        )
