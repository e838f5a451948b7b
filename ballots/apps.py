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

        from .gates import no_open_ballot, review_ballots_published

        stage_gate_register(CampaignStage.REVIEW, no_open_ballot)
        stage_gate_register(CampaignStage.REVIEW, review_ballots_published)
