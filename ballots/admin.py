from django.contrib import admin

from core.admin_tools import ReadOnlyAdmin, ServiceAdmin, ServiceInline, formset_save
from subjects.models import ReviewForm, Subject

from .models import AgendaItem, Ballot, BallotResult, Inquiry, ReviewMeeting
from .presets import preset
from .rules import RuleError
from .selectors import published_ballots
from .services import (
    MEETING_EDITABLE,
    agenda_item_create,
    agenda_item_delete,
    agenda_item_update,
    meeting_create,
    meeting_delete,
    meeting_update,
)


class AgendaInline(ServiceInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "subject")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk:
            # Only the meeting's own on-site subjects report at it.
            formset.form.base_fields["subject"].queryset = Subject.objects.filter(
                campaign=obj.campaign, review_form=ReviewForm.ON_SITE
            )
        return formset


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ServiceAdmin):
    list_display = ("name", "campaign", "held_on", "place")
    list_filter = ("campaign",)
    filter_horizontal = ("attendees",)
    inlines = [AgendaInline]

    def get_readonly_fields(self, request, obj=None):
        # Its ballots, inquiries and agenda belong to the campaign it was registered for.
        return ("campaign",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in MEETING_EDITABLE if f in form.cleaned_data}
        attendees = list(form.cleaned_data.get("attendees", []))
        if change:
            meeting_update(actor=request.user, meeting=obj, attendees=attendees, **data)
        else:
            meeting = meeting_create(
                actor=request.user,
                campaign=form.cleaned_data["campaign"],
                attendees=attendees,
                **data,
            )
            obj.pk = meeting.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        meeting_delete(actor=request.user, meeting=obj)

    def save_formset(self, request, form, formset, change):
        actor, meeting = request.user, form.instance
        formset_save(
            formset,
            create=lambda data: agenda_item_create(actor=actor, meeting=meeting, **data),
            update=lambda item, data: agenda_item_update(actor=actor, item=item, **data),
            delete=lambda item: agenda_item_delete(actor=actor, item=item),
        )


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "subject", "asked_by", "short_question", "answered_at")
    list_filter = ("meeting",)
    search_fields = ("question", "answer", "subject__person_name")

    @admin.display(description="询问内容")
    def short_question(self, obj):
        return obj.question[:40]


class BallotResultInline(admin.TabularInline):
    model = BallotResult
    fields = ("rank", "subject", "counts", "valid", "rate", "score", "outcome", "explanation")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The same rule as every page: nothing of a ballot's result before it is published.
        return super().get_queryset(request).filter(ballot__in=published_ballots())


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """Ballots are run on their own pages through the services; here they are listed, and
    stored results are shown read-only once published."""

    list_display = (
        "__str__",
        "campaign",
        "purpose",
        "status",
        "rule_name",
        "is_valid",
        "closed_at",
    )
    list_filter = ("campaign", "status", "purpose")
    # Options, outcomes and the rule are shown as sentences, not JSON boxes; they are set
    # on the office's ballot page, where every combination is checked.
    exclude = (
        "public_key",
        "slot_bits",
        "tally_proof",
        "options",
        "outcomes",
        "favourable",
        "rule_spec",
        "rule_preset",
    )
    readonly_fields = ("scale", "outcome_labels", "rule_name", "rule_sentence")

    @admin.display(description="结果规则（预设）", ordering="rule_preset")
    def rule_name(self, obj):
        """The preset's Chinese name (its short form before the colon), not its key."""
        try:
            return preset(obj.rule_preset)["name"].split("：")[0]
        except RuleError:
            return "自定义规则"

    @admin.display(description="选项")
    def scale(self, obj):
        return " / ".join(obj.sheet_options)

    @admin.display(description="测评结果档次")
    def outcome_labels(self, obj):
        return " / ".join(obj.outcomes)

    @admin.display(description="结果规则")
    def rule_sentence(self, obj):
        return obj.rule_text

    inlines = [BallotResultInline]
