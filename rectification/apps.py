from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = "整改"

    def ready(self):
        from reviews.gates import stage_gate_register
        from reviews.models import CampaignStage

        from .gates import rectification_concluded

        stage_gate_register(CampaignStage.RECTIFICATION, rectification_concluded)
        from core.documents import document_kind_register

        from .documents import opinion_render, opinion_title_for

        document_kind_register("opinion", render=opinion_render, title_for=opinion_title_for)
