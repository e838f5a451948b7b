"""The campaign's admin page spans every stage (duty-report deadlines, stage dates,
rectification limits), so it is registered here, in the top layer."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin_tools import ServiceAdmin, ServiceInline, formset_save
from core.errors import ApplicationError
from core.files import check_upload
from core.formats import cn_date
from reviews import forms as reviews_forms
from reviews.models import Campaign, CampaignStage, ContentItem, Stage, StageTransition
from reviews.services import (
    CAMPAIGN_EDITABLE,
    STAGE_ORDER,
    campaign_create,
    campaign_implementation_plan_attach,
    campaign_next_stage,
    campaign_stage_move,
    campaign_update,
    content_item_create,
    content_item_delete,
    content_item_update,
    stage_update,
)
from subjects.services import campaign_report_deadlines_set, report_deadlines_suggested


class StageInline(admin.TabularInline):
    model = Stage
    fields = ("kind", "planned_start", "planned_end", "started_at", "ended_at")
    readonly_fields = ("kind", "started_at", "ended_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ContentItemInline(ServiceInline, admin.TabularInline):
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
            field.widget.attrs.update({"class": "vIntegerField"})
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
    implementation_plan_file = forms.FileField(
        label="实施方案文件",
        required=False,
        help_text="PDF 或 Word 文件；上传新文件会替换原文件。",
    )

    class Meta:
        model = Campaign
        fields = CAMPAIGN_EDITABLE

    def clean(self):
        data = super().clean()
        upload = data.get("implementation_plan_file")
        if upload:
            try:
                check_upload(upload)
            except ApplicationError as exc:
                self.add_error("implementation_plan_file", exc.message)
            if not data.get("implementation_plan_approved_on"):
                self.add_error("implementation_plan_approved_on", "上传实施方案时请填写批准日期。")
        return data


class StageMoveForm(reviews_forms.StageMoveForm):
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
        "implementation_plan_approved_on",
    )
    list_filter = ("stage", "year")
    search_fields = ("name", "term")
    readonly_fields = ("stage", "implementation_plan_name", "created_at", "reports_distributed_at")
    actions = ["advance_stage", "set_report_deadlines"]
    change_form_template = "admin/reviews/campaign/change_form.html"

    def get_fieldsets(self, request, obj=None):
        main = (
            "name",
            "year",
            ("term", "term_start_year"),
            "is_practice",
            "composition_size",
            "issuing_office",
        )
        if obj is None:
            return [
                (None, {"fields": main}),
                (
                    "实施方案",
                    {"fields": ("implementation_plan_approved_on", "implementation_plan_file")},
                ),
            ]
        return [
            (None, {"fields": (*main, "stage", "created_at")}),
            (
                "实施方案",
                {
                    "fields": (
                        "implementation_plan_approved_on",
                        "implementation_plan_name",
                        "implementation_plan_file",
                    )
                },
            ),
            ("满意度测评", {"fields": ("rating_options",)}),
            (
                "整改期限（自评议意见送达之日起）",
                {
                    "fields": (
                        ("rectification_plan_limit", "rectification_plan_limit_unit"),
                        ("rectification_report_limit", "rectification_report_limit_unit"),
                        "reporting_days",
                    )
                },
            ),
            ("整改结论", {"fields": ("rectification_conclusion", "groups_oversee_rectification")}),
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
        upload = form.cleaned_data.get("implementation_plan_file")
        if upload:
            campaign_implementation_plan_attach(
                actor=request.user,
                campaign=campaign,
                document=upload,
                approved_on=data["implementation_plan_approved_on"],
            )
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        actor, campaign = request.user, form.instance
        if formset.model is Stage:
            formset_save(
                formset, update=lambda stage, data: stage_update(actor=actor, stage=stage, **data)
            )
        elif formset.model is ContentItem:
            formset_save(
                formset,
                create=lambda data: content_item_create(actor=actor, campaign=campaign, **data),
                update=lambda item, data: content_item_update(actor=actor, item=item, **data),
                delete=lambda item: content_item_delete(actor=actor, item=item),
            )
        else:
            super().save_formset(request, form, formset, change)

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
        form = StageMoveForm(request.POST if request.method == "POST" else None, campaign=campaign)
        if request.method == "POST" and form.is_valid():
            try:
                transition = campaign_stage_move(
                    actor=request.user, campaign=campaign, **form.cleaned_data
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
