from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "述职评议活动"

    def ready(self) -> None:
        from core.audit import audit_actions_register
        from core.imports import importer_register

        from .audit import AuditAction
        from .imports import members_check, members_create, members_logins_needed

        audit_actions_register(AuditAction)

        importer_register(
            "members",
            label="常委会组成人员导入",
            check=members_check,
            logins_needed=members_logins_needed,
            create=members_create,
        )
