from django import forms

from core.forms import REASON_MAX, Form

from .models import CampaignStage


class StageMoveForm(Form):
    """A stage move: back needs `reason`; forward past an unmet gate needs
    `override_reason`; closing the campaign needs `confirmed`."""

    to_stage = forms.ChoiceField(label="变更到", choices=CampaignStage.choices)
    reason = forms.CharField(
        label="退回理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="退回到之前的阶段时必须填写。",
    )
    override_reason = forms.CharField(
        label="越过未满足条件的理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在条件未满足而确需推进时填写，将记入操作记录并在评议活动页面显示。",
    )
    confirmed = forms.BooleanField(label="我确认结束本次评议活动", required=False)

    # The forward form draws 越过理由 only when a gate is unmet; the back form draws 退回理由.
    sometimes_sent = ("reason", "override_reason")
