from django.contrib import admin

from core.admin_tools import ReadOnlyAdmin

from .models import AgendaItem, Ballot, BallotResult, Inquiry, ReviewMeeting
from .selectors import published_ballots


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "subject")


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(admin.ModelAdmin):
    list_display = ("name", "campaign", "held_on", "place")
    list_filter = ("campaign",)
    filter_horizontal = ("attendees",)
    inlines = [AgendaInline]


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
    fields = ("rank", "subject", "counts", "valid", "rate", "outcome", "explanation")
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
        "rule_preset",
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
    )
    readonly_fields = ("scale", "outcome_labels", "rule_sentence")

    @admin.display(description="选项")
    def scale(self, obj):
        return " / ".join(obj.choices)

    @admin.display(description="测评结果档次")
    def outcome_labels(self, obj):
        return " / ".join(obj.outcomes)

    @admin.display(description="结果规则")
    def rule_sentence(self, obj):
        return obj.rule_text

    inlines = [BallotResultInline]
