from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = "评议会议与满意度测评"

    def ready(self):
        from reviews.models import CampaignStage
        from reviews.services import stage_gate_register

        from .models import Ballot, BallotStatus

        def no_open_ballot(campaign) -> list[str]:
            if Ballot.objects.filter(campaign=campaign, status=BallotStatus.OPEN).exists():
                return ["满意度测评尚在投票中，请先结束投票"]
            return []

        stage_gate_register(CampaignStage.REVIEW, no_open_ballot)
