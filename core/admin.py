from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .admin_tools import ReadOnlyAdmin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "campaign", "subject", "summary")
    list_filter = ("action", "campaign")
    search_fields = ("summary", "actor__username", "actor__first_name")
    date_hierarchy = "at"
    list_select_related = ("actor", "campaign", "subject", "subject__unit")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


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
