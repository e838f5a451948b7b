from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from core.forms import Form, VersionedFormMixin
from reviews.models import ContentItem

from .models import AccessMode, ActivityKind, Deputy, FindingKind, InvestigationActivity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.doc"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class _Form(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ActivityForm(_Form):
    subjects = forms.ModelMultipleChoiceField(
        label="涉及评议对象", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label="方式", choices=ActivityKind.choices)
    held_on = forms.DateField(
        label="日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    place = forms.CharField(label="地点", max_length=120)
    participant_count = forms.IntegerField(label="参加人数", min_value=1, max_value=10000)
    participants = forms.CharField(
        label="参加人员", max_length=300, help_text="例如：服务对象代表 8 人、基层干部 4 人"
    )
    notes = forms.CharField(
        label="情况记录", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(
        label="附件", required=False, help_text="PDF 或 Word 文件，可多选，每次最多 10 个。"
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = group.subjects.order_by("position")
        self.fields["held_on"].initial = timezone.localdate()


class FindingForm(_Form):
    content_item = forms.ModelChoiceField(label="评议内容", queryset=None)
    kind = forms.ChoiceField(
        label="类别",
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        initial=FindingKind.PROBLEM,
    )
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    activity = forms.ModelChoiceField(
        label="来源活动", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_item"].queryset = ContentItem.objects.filter(
            campaign=subject.campaign_id
        )
        self.fields["activity"].queryset = InvestigationActivity.objects.filter(
            group__assignments__subject=subject, subjects=subject
        )


class ReportBodyForm(VersionedFormMixin, Form):
    body = forms.CharField(
        label="报告正文", widget=forms.Textarea(attrs={"rows": 18}), max_length=50000
    )


class HeardForm(Form):
    heard_on = forms.DateField(
        label="主任会议听取日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    backdated = forms.BooleanField(
        label="补录（以往的听取情况，日期可早于本系统中的提交日期）", required=False
    )


class AttachmentForm(Form):
    file = forms.FileField(label="附件")


class GroupAssignForm(VersionedFormMixin, Form):
    """One select per subject: the group it belongs to, or none."""

    def __init__(self, *args, subjects, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = subjects
        choices = [("", "（未分组）"), *((str(g.pk), g.name) for g in groups)]
        for subject in subjects:
            self.fields[f"subject_{subject.pk}"] = forms.TypedChoiceField(
                label=subject.person_name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def assignments(self) -> dict[int, int | None]:
        return {s.pk: self.cleaned_data[f"subject_{s.pk}"] for s in self.subjects}


class QuestionnaireForm(Form):
    title = forms.CharField(label="问卷标题", max_length=120)
    access_mode = forms.ChoiceField(label="答题方式", choices=AccessMode.choices)
    intro = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    text_questions = forms.CharField(
        label="其他意见建议题（每行一题）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        initial="您对以上评议对象的履职情况还有哪些意见和建议？",
    )


class DeputyCodesForm(Form):
    deputies = forms.ModelMultipleChoiceField(
        label="代表", queryset=Deputy.objects.filter(is_active=True)
    )


class SheetCodesForm(Form):
    count = forms.IntegerField(label="问卷张数", min_value=1, max_value=2000)


class AnswerToFindingForm(Form):
    content_item = forms.ModelChoiceField(label="评议内容", queryset=None)
    kind = forms.ChoiceField(label="类别", choices=FindingKind.choices)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_item"].queryset = campaign.content_items.all()
