from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = "评议会议与满意度测评"

    def ready(self):
        from core.audit import audit_actions_register

        from .audit import AuditAction

        audit_actions_register(AuditAction)
        from reviews.gates import stage_gate_register
        from reviews.models import CampaignStage

        # The table registers its moves' audit names; capabilities() finds it by its model.
        from . import workflows  # noqa: F401
        from .gates import no_open_ballot, review_ballots_published

        stage_gate_register(CampaignStage.REVIEW, no_open_ballot)
        stage_gate_register(CampaignStage.REVIEW, review_ballots_published)
        from core.documents import document_kind_register
        from core.services import require_office

        from .documents import PAPER_DOCUMENT, paper_campaign, paper_render, paper_title_for

        document_kind_register(
            PAPER_DOCUMENT,
            render=paper_render,
            title_for=paper_title_for,
            check_request=require_office,
            campaign_of=paper_campaign,
            title="纸质测评票和计票单",
        )
