"""Form pieces every app uses: a reason, a date, and the one way a view turns an invalid
form into the Chinese message the user sees (nothing is written when a form is invalid)."""

from django import forms

from .errors import ApplicationError

REASON_MAX = 2000
TEXT_MAX = 20000


class ReasonForm(forms.Form):
    """A move that needs a written reason: 退回, 延期, overriding a gate."""

    reason = forms.CharField(
        label="理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "必须写明理由。"},
    )


class DateForm(forms.Form):
    """A move that records the day something happened (通过, 送达, 听取, 完成)."""

    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))


def form_errors_text(form: forms.BaseForm) -> str:
    """Every error of a form in one Chinese sentence: 「字段」：原因；…"""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts) or "提交的内容无效。"


def form_data(form: forms.BaseForm) -> dict:
    """The cleaned data of a valid form, or the ApplicationError naming what is wrong."""
    if not form.is_valid():
        raise ApplicationError(form_errors_text(form))
    return form.cleaned_data


def form_refused(request, form: forms.BaseForm) -> int:
    """Say in a message what is wrong with a submitted form; the status to answer with."""
    from django.contrib import messages

    messages.error(request, f"未保存，请修改后再提交：{form_errors_text(form)}")
    return 400
