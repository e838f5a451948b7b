from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "评议调查与征求意见"

    def ready(self):
        from core.audit import audit_actions_register

        from .audit import AuditAction

        audit_actions_register(AuditAction)
        from subjects.selectors import subject_readers_register

        from .groups import subjects_of_group_members_q

        subject_readers_register(subjects_of_group_members_q)
        from reviews.gates import stage_gate_register
        from reviews.models import CampaignStage

        from .gates import investigation_reports_heard

        stage_gate_register(CampaignStage.PRELIMINARY, investigation_reports_heard)
        from core.documents import document_kind_register

        from .documents import investigation_campaign, investigation_render, investigation_title_for

        document_kind_register(
            "investigation",
            render=investigation_render,
            title_for=investigation_title_for,
            campaign_of=investigation_campaign,
            title="调查报告",
        )
