from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_tools import ExcelImportMixin, ImportForm, ReadOnlyAdmin, ServiceAdmin
from core.passwords import initial_password_validate
from reviews.models import Campaign, CampaignStage

from .imports import SUBJECT_COLUMNS
from .models import DutyReportVersion, LiaisonCommittee, Subject, Unit
from .selectors import subject_report_state
from .services import (
    SUBJECT_EDITABLE,
    UNIT_EDITABLE,
    liaison_committee_create,
    liaison_committee_delete,
    liaison_committee_update,
    subject_account_set,
    subject_create,
    subject_delete,
    subject_update,
    unit_create,
    unit_delete,
    unit_update,
)


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ("name", "organ_type")
    list_filter = ("organ_type",)
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in UNIT_EDITABLE if f in form.cleaned_data}
        if change:
            unit_update(actor=request.user, unit=obj, **data)
        else:
            unit = unit_create(actor=request.user, **data)
            obj.pk = unit.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        unit_delete(actor=request.user, unit=obj)


class LiaisonCommitteeForm(forms.ModelForm):
    class Meta:
        model = LiaisonCommittee
        fields = ("name", "users")


@admin.register(LiaisonCommittee)
class LiaisonCommitteeAdmin(ServiceAdmin):
    form = LiaisonCommitteeForm
    list_display = ("name", "staff")
    search_fields = ("name",)
    filter_horizontal = ("users",)

    @admin.display(description="委室工作人员")
    def staff(self, obj):
        return "、".join(u.get_full_name() or u.username for u in obj.users.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("users")

    def save_model(self, request, obj, form, change):
        # Users go through the service so that each gets the liaison role.
        name, users = form.cleaned_data["name"], list(form.cleaned_data["users"])
        if change:
            liaison_committee_update(actor=request.user, committee=obj, name=name, users=users)
        else:
            committee = liaison_committee_create(actor=request.user, name=name, users=users)
            obj.pk = committee.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        liaison_committee_delete(actor=request.user, committee=obj)


class SubjectForm(forms.ModelForm):
    username = forms.CharField(
        label="登录名",
        required=False,
        max_length=150,
        help_text="填写后为其开通登录账号；往年已有账号的评议对象填原登录名。",
    )
    password = forms.CharField(
        label="初始密码",
        required=False,
        widget=forms.PasswordInput,
        help_text="不填则自动生成，并在保存后显示一次。",
    )

    class Meta:
        model = Subject
        fields = ("campaign", *SUBJECT_EDITABLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = Campaign.objects.filter(
                stage=CampaignStage.PREPARATION
            )
            self.fields["campaign"].help_text = "只能在准备阶段的评议活动中添加评议对象。"
        if "position" in self.fields:
            self.fields["position"].required = False

    def clean(self):
        data = super().clean()
        if data.get("password"):
            try:
                initial_password_validate(
                    data["password"],
                    username=data.get("username") or "",
                    full_name=data.get("person_name") or "",
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class SubjectImportForm(ImportForm):
    campaign = forms.ModelChoiceField(
        label="评议活动",
        queryset=Campaign.objects.filter(stage=CampaignStage.PREPARATION),
        help_text="只能向准备阶段的评议活动导入。",
    )
    field_order = ["campaign", "file"]


@admin.register(Subject)
class SubjectAdmin(ExcelImportMixin, ServiceAdmin):
    form = SubjectForm
    list_display = (
        "person_name",
        "report_state",
        "unit",
        "post",
        "campaign",
        "review_form",
        "liaison_committee",
        "has_account",
    )
    list_filter = ("campaign", "review_form", "unit__organ_type", "liaison_committee")
    search_fields = ("person_name", "unit__name", "post", "user__username")
    # A city has thousands of subjects: 50 rows a page, and no second COUNT of them all
    # when the list is filtered.
    list_per_page = 50
    show_full_result_count = False
    import_kind = "subjects"
    import_title = "从 Excel 导入评议对象"
    import_columns = SUBJECT_COLUMNS
    import_template_name = "评议对象"
    import_form = SubjectImportForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("campaign", "unit", "liaison_committee", "user")
            .prefetch_related("report_versions")
        )

    @admin.display(description="述职报告")
    def report_state(self, obj):
        versions = sorted(obj.report_versions.all(), key=lambda v: -v.number)
        return subject_report_state(
            obj, versions, obj.campaign.report_final_due, timezone.localdate()
        ).state.label

    @admin.display(description="登录账号", boolean=False)
    def has_account(self, obj):
        return obj.user.username if obj.user_id else "未开通"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("campaign", *SUBJECT_EDITABLE, "username", "password")
        return (
            (*SUBJECT_EDITABLE, "account")
            if obj.user_id
            else (*SUBJECT_EDITABLE, "username", "password")
        )

    def get_readonly_fields(self, request, obj=None):
        return ("account",) if obj and obj.user_id else ()

    @admin.display(description="登录账号")
    def account(self, obj):
        return obj.user.username

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in SUBJECT_EDITABLE if f in form.cleaned_data}
        username = form.cleaned_data.get("username") or ""
        password = form.cleaned_data.get("password") or None
        initial = None
        if change:
            subject = subject_update(actor=request.user, subject=obj, **data)
            if username and not subject.user_id:
                initial = subject_account_set(
                    actor=request.user, subject=subject, username=username, password=password
                )
        else:
            subject, initial = subject_create(
                actor=request.user,
                campaign=form.cleaned_data["campaign"],
                username=username,
                password=password,
                **{k: v for k, v in data.items() if not (k == "position" and v is None)},
            )
            obj.pk = subject.pk
            obj._state.adding = False
        obj.refresh_from_db()
        if username and obj.user_id:
            note = f"，初始密码：{initial}（只显示这一次，请转交本人）" if initial else ""
            self.message_user(
                request,
                f"已为 {obj.person_name} 开通登录账号 {obj.user.username}{note}",
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        subject_delete(actor=request.user, subject=obj)

    def import_params(self, form) -> dict:
        return {"campaign": form.cleaned_data["campaign"].pk}


@admin.register(DutyReportVersion)
class DutyReportVersionAdmin(ReadOnlyAdmin):
    """Versions are uploaded by subjects and reviewed on the campaign's report page."""

    list_display = (
        "subject",
        "kind",
        "number",
        "original_name",
        "uploaded_at",
        "is_late",
        "status",
        "reviewed_by",
    )
    list_filter = ("subject__campaign", "kind", "status", "is_late")
    search_fields = ("subject__person_name", "subject__unit__name", "original_name")
    list_select_related = ("subject__unit", "reviewed_by")
    exclude = ("file",)
    readonly_fields = (
        "download",
        "subject",
        "kind",
        "number",
        "original_name",
        "size",
        "uploaded_by",
        "uploaded_at",
        "is_late",
        "status",
        "reviewed_by",
        "reviewed_at",
        "return_reason",
    )

    @admin.display(description="下载")
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("duty_report_download", args=[obj.pk]), obj.original_name
        )
