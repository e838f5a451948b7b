from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "评议调查与征求意见"

    def ready(self):
        from core.documents import document_kind_register

        from .documents import investigation_render, investigation_title_for

        document_kind_register(
            "investigation", render=investigation_render, title_for=investigation_title_for
        )
