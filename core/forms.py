"""Form pieces every app uses: the complete-or-refused base forms, the stale-form guard, a
reason, a date, and the one way a view turns an invalid form into the Chinese message the
user sees (nothing is written when a form is invalid)."""

import datetime
import decimal
import hashlib
import json

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .control_characters import has_control_characters
from .errors import ApplicationError

REASON_MAX = 2000
TEXT_MAX = 20000


INCOMPLETE = (
    "提交的表单不完整（可能是页面未加载完或被重复提交），未做任何修改，请刷新页面后重新填写。"
)
STALE = "内容已被他人修改，请刷新后重试"

# Widgets a browser leaves out of a submission when they are empty: unchecked boxes and
# radios, file inputs with no file, multi-selects with nothing selected. Every other field
# a page draws is always sent, if only as an empty string.
_MAY_BE_OMITTED = (
    forms.CheckboxInput,
    forms.CheckboxSelectMultiple,
    forms.RadioSelect,
    forms.FileInput,
    forms.SelectMultiple,
)


class CompleteFormMixin:
    """A submission that lacks a field the page always sends is refused whole.

    Reading a missing field as blank is how an empty or truncated POST (a dropped field, a
    script, a half-loaded page) silently wiped a set: every subject unassigned, every plan
    row deleted. Django's widgets know whether a value was omitted from the data
    (``value_omitted_from_data``); a field that is omitted although its widget is always
    sent makes the form invalid with one message, and the view writes nothing."""

    # Fields that only some of the page's forms for this URL draw (a stage move forward
    # has no 退回理由): these may be missing, and read as blank.
    sometimes_sent: tuple[str, ...] = ()

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.omitted_fields():
            self._errors.clear()
            self.add_error(None, INCOMPLETE)

    def omitted_fields(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if not field.disabled
            and name not in self.sometimes_sent
            and not isinstance(field.widget, _MAY_BE_OMITTED)
            and field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        ]


def _plain(value):
    if isinstance(value, models.Model):
        return [value._meta.label, value.pk, _row(value)]
    if isinstance(value, models.QuerySet):
        return [_plain(obj) for obj in value.order_by("pk")]
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    return value


def _row(obj: models.Model) -> dict:
    return {f.attname: str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def version_of(*state) -> str:
    """A short digest of the stored state a page was drawn from: model rows (every
    concrete field), querysets (every row, by id) and plain values. The page sends it back
    in a hidden ``version`` field; if the state changed in between, the form is stale."""
    blob = json.dumps(_plain(list(state)), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class VersionedFormMixin:
    """Optimistic locking for a form that edits stored state (a set, rows, a text).

    The view passes ``version=version_of(...)`` computed from the current rows both when it
    draws the page and when it reads the POST (inside the request's transaction); a form
    drawn from older rows carries another digest and is refused with STALE, so a stale or
    double-submitted page is never applied over newer data."""

    def __init__(self, *args, version: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_version = version
        self.fields["version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=version, max_length=64
        )

    def clean(self):
        data = super().clean()
        if self.is_bound and (data or {}).get("version") != self.current_version:
            raise forms.ValidationError(STALE, code="stale")
        data.pop("version", None)  # checked; not something to save
        return data

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors.get("version"):
            self._errors.pop("version")
            self.add_error(None, STALE)


class Form(CompleteFormMixin, forms.Form):
    """Every state-changing form of the site's own pages."""


class ModelForm(CompleteFormMixin, forms.ModelForm):
    """Every state-changing model form of the site's own pages."""


class ReasonForm(Form):
    """A move that needs a written reason: 退回, 延期, overriding a gate."""

    reason = forms.CharField(
        label="理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "必须写明理由。"},
    )


class DateForm(Form):
    """A move that records the day something happened (通过, 送达, 听取, 完成)."""

    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))


class NotificationsReadForm(forms.Form):
    """全部标为已读: the newest notification the page showed."""

    up_to = forms.IntegerField(min_value=0, error_messages={"required": "缺少要标记的通知。"})


class LargeTextForm(Form):
    """大字模式 on or off (the navbar's switch), and the page to return to."""

    large_text = forms.TypedChoiceField(
        choices=[("1", "开启"), ("0", "关闭")],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
        error_messages={
            "required": "缺少大字模式的设置。",
            "invalid_choice": "大字模式的设置无效。",
        },
    )
    next = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)


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


class QuickSelectMultiple(forms.SelectMultiple):
    """A multiple select whose <option>s are written in Python: Django's widget renders
    each option through its own template, about a millisecond apiece, which makes a
    list of hundreds of accounts take most of a page's time. Same markup, no optgroups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )
