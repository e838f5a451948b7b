"""Form pieces every app uses: a reason, a date, and the one way a view turns an invalid
form into the Chinese message the user sees (nothing is written when a form is invalid)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from .control_characters import has_control_characters
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


class NotificationsReadForm(forms.Form):
    """全部标为已读: the newest notification the page showed."""

    up_to = forms.IntegerField(min_value=0, error_messages={"required": "缺少要标记的通知。"})


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


def no_control_characters(value) -> None:
    """A text or code field refuses C0 control characters (but TAB, LF, CR) and DEL:
    PostgreSQL refuses NUL with a 500, and the rest are invisible junk from a paste."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            "含有无法识别的控制字符（通常是复制粘贴带进来的，看不见），请删除后重新输入。",
            code="control_characters",
        )


class CleanTextMixin:
    """Put first in a form's bases: every text field (CharField and its kind, also those a
    ModelForm makes or an __init__ adds) refuses control characters, so the page comes
    back with the reason next to the field instead of core.control_characters' bare 400
    page. A view whose input all goes through such forms may say so with
    core.control_characters.checks_control_characters."""

    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and no_control_characters not in field.validators:
                field.validators.append(no_control_characters)
        super().full_clean()


def _username_max_length() -> int:
    return get_user_model()._meta.get_field("username").max_length


class _LoginFieldsMixin(CleanTextMixin):
    """Django's login form only sets the widget's maxlength: a longer name went on to
    authentication, and django-axes failed writing it to its 255-character column (a 500).
    Here it is refused before any lookup; nothing is counted or written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = _username_max_length()
        username = self.fields["username"]
        username.validators.append(
            MaxLengthValidator(limit, message=f"登录名最多 {limit} 个字符，请核对后重新输入。")
        )
        username.error_messages["required"] = "请输入登录名。"
        self.fields["password"].error_messages["required"] = "请输入密码。"


class LoginForm(_LoginFieldsMixin, AuthenticationForm):
    """The site's login (/accounts/login/)."""


class AdminLoginForm(_LoginFieldsMixin, AdminAuthenticationForm):
    """The admin's login (/admin/login/)."""
