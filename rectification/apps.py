from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = "整改"

    def ready(self):
        from core.audit import audit_actions_register

        from .audit import AuditAction

        audit_actions_register(AuditAction)
        from ballots.signals import meeting_recorded
        from core.documents import document_kind_register
        from reviews.gates import stage_gate_register
        from reviews.models import CampaignStage
        from reviews.signals import campaign_changed

        from .documents import opinion_campaign, opinion_render, opinion_title_for
        from .gates import rectification_concluded
        from .services import reporting_steps_follow

        stage_gate_register(CampaignStage.RECTIFICATION, rectification_concluded)
        document_kind_register(
            "opinion",
            render=opinion_render,
            title_for=opinion_title_for,
            campaign_of=opinion_campaign,
            title="评议意见书",
        )

        def follow(sender, actor, campaign, changed=None, **kwargs):
            if changed is None or "reporting_days" in changed:
                reporting_steps_follow(actor=actor, campaign=campaign, changed=changed)

        meeting_recorded.connect(follow, weak=False, dispatch_uid="rectification.reporting_steps")
        campaign_changed.connect(
            follow, weak=False, dispatch_uid="rectification.reporting_steps.days"
        )
