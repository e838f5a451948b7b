from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "campaign", "subject", "summary")
    list_filter = ("action", "campaign")
    search_fields = ("summary", "actor__username", "actor__first_name")
    date_hierarchy = "at"
    list_select_related = ("actor", "campaign", "subject", "subject__unit")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
