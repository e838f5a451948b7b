from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .admin_tools import ReadOnlyAdmin
from .errors import ApplicationError
from .models import AuditEntry, OutgoingEmail
from .outbox import outbox_kick, outbox_retry_now


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "campaign", "subject", "summary")
    list_filter = ("action", "campaign")
    search_fields = ("summary", "actor__username", "actor__first_name")
    date_hierarchy = "at"
    list_select_related = ("actor", "campaign", "subject", "subject__unit")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class OfficeUserAdmin(UserAdmin):
    """Office staff manage logins and roles, but cannot hand out superuser or raw permissions."""

    list_display = ("username", "first_name", "roles", "is_active", "is_staff", "last_login")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("username", "first_name", "email")

    @admin.display(description="角色")
    def roles(self, obj):
        return "、".join(g.name for g in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser", "user_permissions")
        return fields

    def has_change_permission(self, request, obj=None):
        # Only a superuser may touch a superuser's account.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
