"""The 情况简报's forms: one for writing an issue, the same versioned for a draft's edits
(which travel with every button of the page), and the editor's live preview."""

from django import forms
from django.urls import reverse_lazy

from core.forms import ModelForm, VersionedFormMixin, version_of

from .models import Briefing, BriefingBlock


class BriefingForm(ModelForm):
    blocks = forms.MultipleChoiceField(
        label="插入内容",
        choices=BriefingBlock.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    articles = forms.CharField(
        label="正文",
        max_length=50000,
        help_text="用正文上方的按钮设置标题、加粗、列表和表格，空行分段；"
        "下方的预览与 PDF 中的排版一致。",
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                # static/js/briefing_editor.js: the toolbar and the live preview.
                "data-articles-editor": reverse_lazy("briefing_articles_preview"),
            }
        ),
    )
    distribution = forms.CharField(
        label="本期发至",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Briefing
        fields = (
            "title",
            "issuing_office",
            "issued_on",
            "articles",
            "blocks",
            "editor",
            "reviewer",
            "issuer",
            "distribution",
        )
        widgets = {
            "issued_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "articles": forms.Textarea(attrs={"rows": 12}),
            "distribution": forms.Textarea(attrs={"rows": 2}),
        }


class BriefingEditForm(VersionedFormMixin, BriefingForm):
    """A draft's edits: refused when the briefing changed since the page was drawn. Its
    service takes the edits as keyword arguments."""

    def service_kwargs(self) -> dict:
        return {"fields": dict(self.cleaned_data)}


def briefing_edit_form(briefing: Briefing, data=None) -> BriefingEditForm:
    stored = Briefing.objects.get(pk=briefing.pk)
    return BriefingEditForm(data, instance=stored, version=version_of(stored))


class BriefingCreateForm(BriefingForm):
    number = forms.IntegerField(
        label="期号",
        required=False,
        min_value=1,
        max_value=999,
        help_text="本次评议在本系统中的第一期可以接续纸质简报的期号；以后各期自动顺延。",
    )


class ArticlesPreviewForm(forms.Form):
    articles = forms.CharField(required=False, max_length=50000)
