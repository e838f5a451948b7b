from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """Pages across stages: my work, the office overview, briefings, the public page, the
    reminder sweep and the demo loader. The top layer: it may import every app."""

    name = "workbench"
    verbose_name = "工作台与情况简报"

    def ready(self):
        from core.audit import audit_actions_register

        from .audit import AuditAction

        audit_actions_register(AuditAction)
        from core.documents import document_kind_register
        from core.services import require_office

        from .documents import briefing_campaign, briefing_render, briefing_title_for
        from .models import BRIEFING_DOCUMENT

        document_kind_register(
            BRIEFING_DOCUMENT,
            render=briefing_render,
            title_for=briefing_title_for,
            check_request=require_office,  # the leading group reads it; the office issues it
            campaign_of=briefing_campaign,
            title="情况简报",
        )
        from .term_record import (
            TERM_RECORD_DOCUMENT,
            term_record_render,
            term_record_title_for,
        )

        document_kind_register(
            TERM_RECORD_DOCUMENT,
            render=term_record_render,
            title_for=term_record_title_for,  # the leadership roles, as the pages
            title="届内履职评议档案",
        )
