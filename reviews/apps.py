from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "述职评议活动"

    def ready(self):
        from core.audit import audit_actions_register

        from .audit import AuditAction

        audit_actions_register(AuditAction)
