from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = "评议对象"

    def ready(self):
        from core.audit import audit_actions_register

        from .audit import AuditAction

        audit_actions_register(AuditAction)
