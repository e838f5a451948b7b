from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin_tools import ExcelImportMixin, ReadOnlyAdmin, ServiceAdmin
from core.errors import ApplicationError
from core.files import check_upload
from core.formats import cn_date
from subjects.services import campaign_report_deadlines_set, report_deadlines_suggested

from .imports import MEMBER_COLUMNS, members_import
from .models import (
    AgendaItem,
    AssessmentGroup,
    Ballot,
    BallotResult,
    Campaign,
    CampaignStage,
    ContentItem,
    Finding,
    Inquiry,
    InvestigationActivity,
    InvestigationReport,
    Member,
    ReviewMeeting,
    Stage,
    StageTransition,
)
from .selectors import published_ballots
from .services import (
    CAMPAIGN_EDITABLE,
    MEMBER_EDITABLE,
    STAGE_ORDER,
    campaign_create,
    campaign_next_stage,
    campaign_plan_attach,
    campaign_stage_move,
    campaign_update,
    group_create,
    group_update,
    member_create,
    member_update,
)


class StageInline(admin.TabularInline):
    model = Stage
    fields = ("kind", "planned_start", "planned_end", "started_at", "ended_at")
    readonly_fields = ("kind", "started_at", "ended_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ContentItemInline(admin.TabularInline):
    model = ContentItem
    fields = ("position", "title", "description")
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "description":
            field.widget.attrs.update(rows=2, cols=40)
        if db_field.name == "title":
            field.widget.attrs.update(size=60)
        if db_field.name == "position":
            field.widget.attrs.update(style="width: 4em")
        return field


class StageTransitionInline(admin.TabularInline):
    model = StageTransition
    fields = ("at", "from_stage", "to_stage", "direction", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "阶段变更记录（只读）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CampaignForm(forms.ModelForm):
    plan_file = forms.FileField(
        label="实施方案文件",
        required=False,
        help_text="PDF 或 Word 文件；上传新文件会替换原文件。",
    )

    class Meta:
        model = Campaign
        fields = CAMPAIGN_EDITABLE

    def clean(self):
        data = super().clean()
        upload = data.get("plan_file")
        if upload:
            try:
                check_upload(upload)
            except ApplicationError as exc:
                self.add_error("plan_file", exc.message)
            if not data.get("plan_approved_on"):
                self.add_error("plan_approved_on", "上传实施方案时请填写批准日期。")
        return data


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="变更到")
    reason = forms.CharField(
        label="理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回到之前的阶段时必须填写。",
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        next_stage = campaign_next_stage(campaign)
        if next_stage:
            choices.append((next_stage, f"推进到{CampaignStage(next_stage).label}"))
        for stage in STAGE_ORDER[: STAGE_ORDER.index(campaign.stage)]:
            choices.append((stage, f"退回到{CampaignStage(stage).label}"))
        self.fields["to_stage"].choices = choices


@admin.register(Campaign)
class CampaignAdmin(ServiceAdmin):
    form = CampaignForm
    list_display = (
        "name",
        "year",
        "stage",
        "composition_size",
        "subject_count",
        "plan_approved_on",
    )
    list_filter = ("stage", "year")
    search_fields = ("name", "term")
    readonly_fields = ("stage", "plan_document_name", "created_at", "reports_distributed_at")
    actions = ["advance_stage", "set_report_deadlines"]
    change_form_template = "admin/reviews/campaign/change_form.html"

    def get_fieldsets(self, request, obj=None):
        main = ("name", "year", "term", "composition_size", "issuing_office")
        if obj is None:
            return [
                (None, {"fields": main}),
                ("实施方案", {"fields": ("plan_approved_on", "plan_file")}),
            ]
        return [
            (None, {"fields": (*main, "stage", "created_at")}),
            ("实施方案", {"fields": ("plan_approved_on", "plan_document_name", "plan_file")}),
            ("满意度测评", {"fields": ("rating_options",)}),
            (
                "整改期限（自评议意见送达之日起）",
                {
                    "fields": (
                        ("plan_limit", "plan_limit_unit"),
                        ("report_limit", "report_limit_unit"),
                    )
                },
            ),
            (
                "述职报告",
                {
                    "fields": ("report_draft_due", "report_final_due", "reports_distributed_at"),
                    "description": self._deadline_hint(obj),
                },
            ),
        ]

    @staticmethod
    def _deadline_hint(obj) -> str:
        meeting = obj.review_meeting_date()
        if not meeting:
            return "填写评议阶段的计划开始日期（评议会议）后，可按惯例推算：会前 20 天交初稿、会前 10 天交定稿。"
        draft, final = report_deadlines_suggested(meeting)
        return (
            f"评议会议计划于 {cn_date(meeting)} 举行；按惯例初稿 {cn_date(draft)}、定稿 {cn_date(final)} 截止"
            "（可在列表页用“按惯例设定述职报告期限”一键填入）。"
        )

    def get_inlines(self, request, obj):
        # A new campaign gets its four stages and default content items from the service.
        return [StageInline, ContentItemInline, StageTransitionInline] if obj else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_subjects=Count("subjects"))

    @admin.display(description="评议对象数", ordering="_subjects")
    def subject_count(self, obj):
        return obj._subjects

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in CAMPAIGN_EDITABLE if f in form.cleaned_data}
        if change:
            campaign = campaign_update(actor=request.user, campaign=obj, **data)
        else:
            campaign = campaign_create(actor=request.user, **data)
            obj.pk = campaign.pk
            obj._state.adding = False
        upload = form.cleaned_data.get("plan_file")
        if upload:
            campaign_plan_attach(
                actor=request.user,
                campaign=campaign,
                document=upload,
                approved_on=data["plan_approved_on"],
            )
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        # Straight on to the stage dates and content items the service just created.
        self.message_user(
            request, "评议活动已创建，请填写各阶段的计划起止日期并核对评议内容。", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:reviews_campaign_change", args=[obj.pk]))

    def has_delete_permission(self, request, obj=None):
        # Campaigns are records of the committee's work: they are closed, never deleted.
        return False

    @admin.action(description="推进到下一阶段")
    def advance_stage(self, request, queryset):
        for campaign in queryset:
            next_stage = campaign_next_stage(campaign)
            if next_stage is None:
                self.message_user(request, f"“{campaign.name}”已结束。", messages.WARNING)
                continue
            try:
                campaign_stage_move(actor=request.user, campaign=campaign, to_stage=next_stage)
            except ApplicationError as exc:
                self.message_user(request, f"“{campaign.name}”：{exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"“{campaign.name}”已进入{CampaignStage(next_stage).label}。",
                    messages.SUCCESS,
                )

    @admin.action(description="按惯例设定述职报告期限（会前20天初稿、10天定稿）")
    def set_report_deadlines(self, request, queryset):
        for campaign in queryset.prefetch_related("stages"):
            meeting = campaign.review_meeting_date()
            if not meeting:
                self.message_user(
                    request, f"“{campaign.name}”尚未填写评议阶段的计划开始日期。", messages.ERROR
                )
                continue
            draft, final = report_deadlines_suggested(meeting)
            campaign_report_deadlines_set(
                actor=request.user, campaign=campaign, draft_due=draft, final_due=final
            )
            self.message_user(
                request,
                f"“{campaign.name}”述职报告初稿 {cn_date(draft)}、定稿 {cn_date(final)} 截止。",
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/stage/",
                self.admin_site.admin_view(self.stage_view),
                name="reviews_campaign_stage",
            ),
            *super().get_urls(),
        ]

    def stage_view(self, request, pk: int):
        campaign = get_object_or_404(Campaign, pk=pk)
        if not self.has_change_permission(request, campaign):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = StageMoveForm(request.POST or None, campaign=campaign)
        if request.method == "POST" and form.is_valid():
            try:
                transition = campaign_stage_move(
                    actor=request.user,
                    campaign=campaign,
                    to_stage=form.cleaned_data["to_stage"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request, f"已进入{transition.get_to_stage_display()}。", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:reviews_campaign_change", args=[campaign.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": Campaign._meta,
            "original": campaign,
            "title": f"变更阶段：{campaign.name}",
            "form": form,
        }
        return TemplateResponse(request, "admin/reviews/campaign/stage_move.html", context)


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
        return data


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

    def run_import(self, request, form):
        return members_import(actor=request.user, upload=form.cleaned_data["file"])


@admin.register(StageTransition)
class StageTransitionAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "at", "from_stage", "to_stage", "direction", "actor", "reason")
    list_filter = ("direction", "campaign")
    date_hierarchy = "at"


class AssessmentGroupForm(forms.ModelForm):
    class Meta:
        model = AssessmentGroup
        fields = ("campaign", "name", "leader", "members", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
    list_filter = ("subject__campaign", "kind", "subject__assessment_group")
    search_fields = ("text", "subject__person_name")
    list_select_related = ("subject", "content_item", "created_by")

    @admin.display(description="内容")
    def short_text(self, obj):
        return obj.text[:40]


@admin.register(InvestigationReport)
class InvestigationReportAdmin(ReadOnlyAdmin):
    list_display = ("subject", "group", "status", "submitted_at", "heard_on")
    list_filter = ("subject__campaign", "status", "group")
    search_fields = ("subject__person_name", "body")


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
