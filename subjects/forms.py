from crispy_forms.helper import FormHelper
from django import forms

from core.forms import CleanTextMixin, Form, VersionedFormMixin

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


class SubjectsPasteForm(CleanTextMixin, Form):
    """Rows pasted from Excel (or typed with commas); checked and shown before saving."""

    rows = forms.CharField(
        label="粘贴评议对象（每行一人）",
        max_length=500_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace"}),
        error_messages={"required": "请粘贴要添加的评议对象。"},
        help_text="从 Excel 中复制以下各列（可含表头）后粘贴，或每行用逗号分隔："
        "姓名、单位、职务、任现职时间、评议形式、联系委室、登录名（可不填）。顺序即排序。",
    )


class SubjectsPasteSaveForm(VersionedFormMixin, SubjectsPasteForm):
    """确认添加: the previewed rows, saved only if the campaign's subjects did not change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rows"].widget = forms.HiddenInput()
