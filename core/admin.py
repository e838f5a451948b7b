from contextvars import ContextVar

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.utils import timezone

from .admin_tools import ReadOnlyAdmin, ServiceAdmin
from .audit import audit_action_areas, audit_action_label
from .errors import ApplicationError
from .models import (
    AuditEntry,
    ImportJob,
    LoginLockout,
    OutgoingEmail,
    PasswordChangeRequired,
)
from .outbox import outbox_kick, outbox_retry_now
from .roles import Role, user_has_role
from .services import (
    USER_EDITABLE,
    login_lockouts_clear,
    user_create,
    user_password_set,
    user_update,
)


class AuditAreaFilter(admin.SimpleListFilter):
    """操作 by area, in Chinese (as on the 操作记录 page), not by raw action codes."""

    title = "操作"
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return [(area, area) for area in audit_action_areas()]

    def queryset(self, request, queryset):
        prefixes = audit_action_areas().get(self.value() or "")
        if not prefixes:
            return queryset
        match = Q()
        for prefix in prefixes:
            match |= Q(action=prefix) | Q(action__startswith=f"{prefix}.")
        return queryset.filter(match)


_GENERIC_PARTS = {"campaign_type", "campaign_id", "subject_type", "subject_id"}


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action_label", "campaign", "subject", "short_summary")
    # The campaign and subject are generic relations (core names no model of the apps
    # above): prefetched by content type, and filtered on the 操作记录 page.
    list_filter = (AuditAreaFilter,)
    search_fields = ("summary", "actor__username", "actor__first_name")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    readonly_fields = [
        *(f.name for f in AuditEntry._meta.fields if f.name not in _GENERIC_PARTS),
        "campaign",
        "subject",
    ]

    def get_queryset(self, request):
        # A subject is shown with its unit (its __str__).
        return super().get_queryset(request).prefetch_related("campaign", "subject__unit")

    @admin.display(description="操作人", ordering="actor__first_name")
    def actor_name(self, obj):
        return (obj.actor.get_full_name() or obj.actor.username) if obj.actor else "系统"

    @admin.display(description="操作", ordering="action")
    def action_label(self, obj):
        return audit_action_label(obj.action)

    @admin.display(description="内容")
    def short_summary(self, obj):
        return obj.summary if len(obj.summary) <= 80 else f"{obj.summary[:80]}…"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """The e-mail outbox: what was sent, what waits for the mail server and why."""

    list_display = (
        "created_at",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "kind")
    search_fields = ("recipient", "subject")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry_now"]

    @admin.display(description="错误")
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description="立即重试")
    def retry_now(self, request, queryset):
        try:
            n = outbox_retry_now(actor=request.user, emails=queryset)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        if not n:
            self.message_user(request, "所选邮件都已发出或已取消，无需重试。", messages.INFO)
            return
        try:
            outbox_kick()
        except ApplicationError as exc:
            self.message_user(
                request,
                f"已将 {n} 封邮件重新排队；{exc.message}（队列恢复后也会自动发送）",
                messages.WARNING,
            )
        else:
            self.message_user(request, f"已将 {n} 封邮件重新排队发送，请稍后刷新查看结果。")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Imports and how they ended; the passwords list is reached only from the job's page,
    by whoever ran it."""

    list_display = (
        "created_at",
        "label",
        "file_name",
        "requested_by",
        "status",
        "total",
        "created_count",
        "accounts_count",
        "finished_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)
    exclude = ("rows", "result", "params")
    readonly_fields = [
        f.name for f in ImportJob._meta.fields if f.name not in ("rows", "result", "params")
    ]


User = get_user_model()
admin.site.unregister(User)

# Who is setting a password: Django's password page builds its form without the request.
_password_actor: ContextVar = ContextVar("password_actor")


class PasswordForm(AdminPasswordChangeForm):
    """Django's admin password form, saving through core.services.user_password_set."""

    def save(self, commit=True):
        password = (
            self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        )
        self.user = user_password_set(
            actor=_password_actor.get(), user=self.user, password=password
        )
        return self.user


@admin.register(User)
class OfficeUserAdmin(ServiceAdmin, UserAdmin):
    """Office staff manage logins and roles, but cannot hand out superuser or raw permissions."""

    list_display = (
        "username",
        "first_name",
        "roles",
        "is_active",
        "is_staff",
        "initial_password",
        "last_login",
    )
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("username", "first_name", "email")
    change_password_form = PasswordForm

    @admin.display(description="角色")
    def roles(self, obj):
        return "、".join(g.name for g in obj.groups.all())

    @admin.display(description="仍用初始密码", boolean=True)
    def initial_password(self, obj):
        return obj.must_change_password

    def get_queryset(self, request):
        flagged = PasswordChangeRequired.objects.filter(user=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .annotate(must_change_password=Exists(flagged))
        )

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "last_login", "date_joined")
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser", "user_permissions")
        return fields

    def has_change_permission(self, request, obj=None):
        # Only a superuser may touch a superuser's account.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            # Superuser status and permissions reach the service only when they are on the
            # form, i.e. for a superuser.
            extra = {
                f: data[f]
                for f in ("groups", "user_permissions", "is_superuser")
                if f in form.fields
            }
            user_update(
                actor=request.user,
                user=obj,
                **{f: data[f] for f in USER_EDITABLE if f in data},
                **extra,
            )
        else:
            user = user_create(
                actor=request.user,
                username=data["username"],
                password=data.get("password1") if data.get("set_usable_password") else None,
            )
            obj.pk = user.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def user_change_password(self, request, id, form_url=""):
        token = _password_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        finally:
            _password_actor.reset(token)


class LockedFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return (("yes", "已锁定"), ("no", "未锁定"))

    def queryset(self, request, queryset):
        locked = {
            "failures_since_start__gte": settings.AXES_FAILURE_LIMIT,
            "attempt_time__gt": timezone.now() - settings.AXES_COOLOFF_TIME,
        }
        if self.value() == "yes":
            return queryset.filter(**locked)
        if self.value() == "no":
            return queryset.exclude(**locked)
        return queryset


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyAdmin):
    """Wrong passwords per login and address, recorded by django-axes. The office unlocks a
    login (after checking with its owner) with the action; unlocking is in the audit log."""

    # axes' own field names are English; these columns say the same in Chinese.
    list_display = (
        "login_name",
        "person",
        "address",
        "failures",
        "last_attempt",
        "state",
        "browser",
    )
    list_filter = (LockedFilter,)
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempt_time"
    fields = ("login_name", "person", "address", "failures", "last_attempt", "state", "browser")
    readonly_fields = fields
    actions = ["unlock"]

    @admin.display(description="登录名", ordering="username")
    def login_name(self, obj):
        return obj.username

    @admin.display(description="网络地址", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="连续失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最近一次尝试", ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description="浏览器")
    def browser(self, obj):
        return obj.user_agent

    def get_queryset(self, request):
        names = User.objects.filter(username=OuterRef("username")).values("first_name")[:1]
        return super().get_queryset(request).annotate(person_name=Subquery(names))

    @admin.display(description="姓名")
    def person(self, obj):
        return obj.person_name or "（无此登录名）"

    @admin.display(description="状态")
    def state(self, obj):
        until = obj.locked_until
        if until is not None:
            return f"已锁定，至 {timezone.localtime(until):%H:%M}"
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"还可尝试 {left} 次" if left > 0 else "锁定已到期"

    def has_unlock_permission(self, request) -> bool:
        return user_has_role(request.user, Role.OFFICE)

    @admin.action(description="解除锁定", permissions=["unlock"])
    def unlock(self, request, queryset):
        try:
            count = login_lockouts_clear(actor=request.user, lockouts=list(queryset))
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, f"已解除 {count} 个登录锁定。", messages.SUCCESS)
