from crispy_forms.helper import FormHelper
from django import forms

from core.forms import Form

from .models import ReportKind


class DutyReportUploadForm(Form):
    kind = forms.ChoiceField(
        label="稿别", choices=ReportKind.choices, widget=forms.RadioSelect, initial=ReportKind.DRAFT
    )
    file = forms.FileField(
        label="述职报告文件",
        help_text="PDF 或 Word（.docx / .doc）文件。每次上传都保存为新版本，原有版本保留。",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.doc"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReportReturnForm(Form):
    reason = forms.CharField(
        label="退回理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
