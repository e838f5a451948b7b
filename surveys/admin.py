from django.contrib import admin

from core.admin_tools import ReadOnlyAdmin

from .models import Deputy, Questionnaire


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ("name", "delegation", "phone", "is_active")
    list_filter = ("delegation", "is_active")
    search_fields = ("name", "delegation", "phone")


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    """Questionnaires are built and run on the office's survey pages; listed here to find them."""

    list_display = ("title", "campaign", "access_mode", "status", "created_at")
    list_filter = ("campaign", "status", "access_mode")
    search_fields = ("title",)
    exclude = ("public_token",)
