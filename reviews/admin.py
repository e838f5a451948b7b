from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core.admin_tools import ExcelImportMixin, ReadOnlyAdmin, ServiceAdmin
from core.passwords import initial_password_validate

from .imports import MEMBER_COLUMNS
from .models import Member, StageTransition
from .services import MEMBER_EDITABLE, member_create, member_update


class MemberForm(forms.ModelForm):
    username = forms.CharField(label="登录名", required=False, max_length=150)
    password = forms.CharField(
        label="初始密码",
        required=False,
        widget=forms.PasswordInput,
        help_text="不填则自动生成，并在保存后显示一次。",
    )

    class Meta:
        model = Member
        fields = MEMBER_EDITABLE

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("username"):
            self.add_error("username", "请填写登录名。")
        if data.get("password"):
            try:
                initial_password_validate(
                    data["password"],
                    username=data.get("username") or "",
                    full_name=data.get("name") or "",
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class MemberPositionForm(forms.ModelForm):
    """A row of the members' list with its editable 序号: the box is named for a screen
    reader by the member it orders (the column header is not a label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].widget.attrs["aria-label"] = f"{self.instance.name}的序号"


@admin.register(Member)
class MemberAdmin(ExcelImportMixin, ServiceAdmin):
    form = MemberForm
    list_display = (
        "name",
        "title",
        "counts_toward_composition",
        "is_active",
        "username",
        "position",
    )
    list_filter = ("counts_toward_composition", "is_active")
    search_fields = ("name", "title", "user__username")
    list_editable = ("position",)
    import_kind = "members"
    import_title = "从 Excel 导入常委会组成人员"
    import_columns = MEMBER_COLUMNS
    import_template_name = "常委会组成人员"

    @admin.display(description="登录名", ordering="user__username")
    def username(self, obj):
        return obj.user.username

    def get_fields(self, request, obj=None):
        return (*MEMBER_EDITABLE, "username", "password") if obj is None else MEMBER_EDITABLE

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=MemberPositionForm, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in MEMBER_EDITABLE if f in form.cleaned_data}
        if change:
            member_update(actor=request.user, member=obj, **data)
            return
        data.pop("is_active", None)
        member, initial = member_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data.get("password") or None,
            **data,
        )
        obj.pk = member.pk
        obj._state.adding = False
        obj.refresh_from_db()
        if initial:
            self.message_user(
                request,
                f"已为 {member.name} 开通登录账号 {member.user.username}，初始密码：{initial}（只显示这一次）",
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        # Ballots will point at members; a member who leaves is marked not in office instead.
        return False


@admin.register(StageTransition)
class StageTransitionAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "at", "from_stage", "to_stage", "direction", "actor", "reason")
    list_filter = ("direction", "campaign")
    date_hierarchy = "at"
