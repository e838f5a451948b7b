"""The forms of the actions on a ballot: a paper entry, the tellers, opening, the two steps
of publishing and voting codes."""

from django import forms

from core.forms import REASON_MAX, Form, QuickSelectMultiple

from ..models import PaperEntryNumber
from ..services.codes import CODES_MAX
from .setup import PAPER_MAX


class PaperForm(Form):
    """One entry of the counting form (计票单) of one voter group: issued, returned, and per
    subject the sheets for each option and the invalid ones (a blank box is 0)."""

    voter_group = forms.ModelChoiceField(label="投票人类别", queryset=None)
    entry = forms.TypedChoiceField(
        label="录入次序",
        choices=PaperEntryNumber.choices,
        coerce=int,
        help_text="两名工作人员各录入一次；第二次录入与第一次逐项核对，一致后才计入测评。",
    )
    issued = forms.IntegerField(label="发出票数", min_value=0, max_value=PAPER_MAX)
    returned = forms.IntegerField(label="收回票数", min_value=0, max_value=PAPER_MAX)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["voter_group"].queryset = ballot.voter_groups.all()
        self.items = list(ballot.items.select_related("subject"))
        for item in self.items:
            name = item.subject.person_name
            for i, option in enumerate(ballot.sheet_options):
                self.fields[f"c_{item.subject_id}_{i}"] = forms.IntegerField(
                    label=f"{name}“{option}”", min_value=0, max_value=PAPER_MAX, required=False
                )
            self.fields[f"c_{item.subject_id}_invalid"] = forms.IntegerField(
                label=f"{name}无效票", min_value=0, max_value=PAPER_MAX, required=False
            )

    def counts(self) -> dict[int, dict[str, int]]:
        data = self.cleaned_data
        counts = {}
        for item in self.items:
            row = {
                o: data.get(f"c_{item.subject_id}_{i}") or 0
                for i, o in enumerate(self.ballot.sheet_options)
            }
            row["invalid"] = data.get(f"c_{item.subject_id}_invalid") or 0
            counts[item.subject_id] = {k: v for k, v in row.items() if v}
        return counts


class TellersForm(forms.Form):
    """The tellers (监票人) of a ballot, numbered in the list's order, and k."""

    users = forms.ModelMultipleChoiceField(
        label="监票人",
        queryset=None,
        help_text="一般 3 人，从常委会组成人员或工作人员中指定；按住 Ctrl 多选。",
        widget=QuickSelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    threshold = forms.IntegerField(
        label="解密所需人数", initial=2, min_value=2, max_value=9,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text="结束投票后，任意这么多名监票人载入各自的密钥即可计票。",
    )  # fmt: skip

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        from ..services.tellers import teller_candidates

        self.fields["users"].queryset = teller_candidates()
        self.fields["users"].label_from_instance = lambda u: u.get_full_name() or u.username
        chosen = [t.user_id for t in ballot.tellers.all()]
        if chosen:
            self.initial["users"] = chosen
            self.initial["threshold"] = ballot.teller_threshold


class BallotOpenForm(Form):
    """开始投票, sent from the confirmation page: ticked after reading what opens, for whom
    and under which rule; with the written reason when the campaign is not in the stage
    the ballot belongs to (ballots.services.ballot_open)."""

    confirmed = forms.BooleanField(
        label="我已核对以上测评、投票人和结果规则，确定开始投票",
        error_messages={"required": "请先核对并勾选确认。"},
    )
    reason = forms.CharField(
        label="不在规定阶段开始投票的理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "评议活动不在本测评规定的阶段，必须写明现在开始投票的理由。"
            )
        else:
            # The page draws no reason box then: a field it does not send.
            del self.fields["reason"]


class BallotPublishPreviewForm(Form):
    """公布结果's first step: the office asks to read the exact public text."""

    # A post without it is a click from elsewhere: say where to start, not "incomplete".
    sometimes_sent = ("step",)

    step = forms.ChoiceField(
        choices=[("preview", "预览公布文本")],
        widget=forms.HiddenInput,
        error_messages={"required": "请从测评页面点“公布结果”进入预览。"},
    )


class BallotPublishForm(Form):
    """公布结果's second step: the digest of the text the office read on the preview, so
    that what is published is exactly what was read (a text changed since is refused)."""

    sometimes_sent = ("digest",)  # missing: no preview was read; say so

    digest = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": "请先预览公布文本，再确认公布。",
            "invalid": "请先预览公布文本，再确认公布。",
        },
    )


class VotingCodesForm(Form):
    """How many one-time voting codes to issue to a voter group without accounts."""

    voter_group = forms.ModelChoiceField(label="投票人类别", queryset=None)
    count = forms.IntegerField(label="投票码个数", min_value=1, max_value=CODES_MAX)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter_group"].queryset = ballot.voter_groups.filter(is_committee=False)
