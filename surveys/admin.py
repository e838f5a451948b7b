from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count

from core.admin_tools import ReadOnlyAdmin, ServiceAdmin

from .models import (
    AssessmentGroup,
    Deputy,
    Finding,
    InvestigationActivity,
    InvestigationReport,
    Questionnaire,
)
from .services import (
    DEPUTY_EDITABLE,
    deputy_create,
    deputy_delete,
    deputy_update,
    group_create,
    group_update,
)


@admin.register(Deputy)
class DeputyAdmin(ServiceAdmin):
    list_display = ("name", "delegation", "phone", "is_active")
    list_filter = ("delegation", "is_active")
    search_fields = ("name", "delegation", "phone")

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in DEPUTY_EDITABLE if f in form.cleaned_data}
        if change:
            deputy_update(actor=request.user, deputy=obj, **data)
        else:
            deputy = deputy_create(actor=request.user, **data)
            obj.pk = deputy.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        deputy_delete(actor=request.user, deputy=obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    """Questionnaires are built and run on the office's survey pages; listed here to find them."""

    list_display = ("title", "campaign", "access_mode", "status", "created_at")
    list_filter = ("campaign", "status", "access_mode")
    search_fields = ("title",)
    exclude = ("public_token",)


class AssessmentGroupForm(forms.ModelForm):
    class Meta:
        model = AssessmentGroup
        fields = ("campaign", "name", "leader", "members", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields:  # a view-only reader (the leading group) gets no fields
            return
        if self.instance.pk:
            self.fields["campaign"].disabled = True
        # Groups are led by standing-committee members and made of them (and staff).
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["leader"].queryset = users.filter(member__isnull=False)
        self.fields["members"].queryset = users


@admin.register(AssessmentGroup)
class AssessmentGroupAdmin(ServiceAdmin):
    form = AssessmentGroupForm
    list_display = ("name", "campaign", "leader", "subject_count")
    list_filter = ("campaign",)
    search_fields = ("name", "leader__first_name", "leader__username")
    filter_horizontal = ("members",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("campaign", "leader")
            .annotate(_subjects=Count("subjects"))
        )

    @admin.display(description="评议对象数", ordering="_subjects")
    def subject_count(self, obj):
        return obj._subjects

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            group_update(
                actor=request.user,
                group=obj,
                name=data["name"],
                leader=data["leader"],
                members=list(data["members"]),
                position=data["position"],
            )
        else:
            group = group_create(
                actor=request.user,
                campaign=data["campaign"],
                name=data["name"],
                leader=data["leader"],
                members=list(data["members"]),
                position=data["position"],
            )
            obj.pk = group.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Members were set by the service.
        pass

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvestigationActivity)
class InvestigationActivityAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "kind", "group", "place", "participant_count", "created_by")
    list_filter = ("group__campaign", "group", "kind")
    search_fields = ("place", "participants", "notes")
    date_hierarchy = "held_on"


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "subject",
        "kind",
        "content_item",
        "short_text",
        "created_by",
        "created_at",
    )
    list_filter = ("subject__campaign", "kind", "subject__group_assignment__group")
    search_fields = ("text", "subject__person_name")
    list_select_related = ("subject__unit", "content_item", "created_by")

    @admin.display(description="内容")
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(InvestigationReport)
class InvestigationReportAdmin(ReadOnlyAdmin):
    list_display = ("subject", "group", "status", "submitted_at", "heard_on")
    list_filter = ("subject__campaign", "status", "group")
    search_fields = ("subject__person_name", "body")
