import datetime

from django import forms
from django.utils.html import format_html, format_html_join

from core.forms import REASON_MAX, CleanTextMixin, Form, VersionedFormMixin, no_control_characters

from .models import WORK_STAGES, CampaignStage


class StageMoveForm(Form):
    """A stage move: back needs `reason`; forward past an unmet gate needs
    `override_reason`; closing the campaign needs `confirmed`."""

    to_stage = forms.ChoiceField(label="变更到", choices=CampaignStage.choices)
    reason = forms.CharField(
        label="退回理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="退回到之前的阶段时必须填写。",
    )
    override_reason = forms.CharField(
        label="越过未满足条件的理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在条件未满足而确需推进时填写，将记入操作记录并在评议活动页面显示。",
    )
    confirmed = forms.BooleanField(label="我确认结束本次评议活动", required=False)

    # The forward form draws 越过理由 only when a gate is unmet; the back form draws 退回理由.
    sometimes_sent = ("reason", "override_reason")


class ListWidget(forms.Widget):
    """A list editor: one text box per item, all under one name (rows are added and
    removed in the browser by static/js/list_editor.js). Never JSON."""

    def __init__(self, attrs=None, *, add_label: str = "添加一项"):
        super().__init__(attrs)
        self.add_label = add_label

    def render(self, name, value, attrs=None, renderer=None):
        items = [str(v) for v in value or []] or [""]
        label = (attrs or {}).get("id", name)
        rows = format_html_join(
            "",
            '<li class="list-editor-row d-flex gap-2 mb-2">'
            '<input type="text" class="form-control" name="{}" value="{}" maxlength="200"'
            ' aria-label="第 {} 项">'
            '<button type="button" class="btn btn-outline-secondary btn-sm list-editor-remove"'
            ' aria-label="删除第 {} 项">删除</button></li>',
            ((name, item, i, i) for i, item in enumerate(items, start=1)),
        )
        return format_html(
            '<div class="list-editor" id="{}"><ol class="list-unstyled mb-2">{}</ol>'
            '<button type="button" class="btn btn-outline-primary btn-sm list-editor-add">{}</button>'
            "</div>",
            label,
            rows,
            self.add_label,
        )

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class ListField(forms.Field):
    """Items in order: each stripped, blanks dropped, no repeats."""

    widget = ListWidget

    def __init__(self, *, min_items: int = 1, max_length: int = 200, **kwargs):
        self.min_items, self.max_length = min_items, max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = [value]
        return [str(v).strip() for v in value if str(v).strip()]

    def validate(self, value):
        if len(value) < self.min_items:
            raise forms.ValidationError(f"至少填写 {self.min_items} 项。")
        for item in value:
            if len(item) > self.max_length:
                raise forms.ValidationError(f"每项最多 {self.max_length} 个字：“{item[:20]}…”。")
            no_control_characters(item)
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            raise forms.ValidationError(f"有重复的条目：{'、'.join(repeated)}。")


def _date_widget(label: str):
    # Drawn in a table without <label>: the name is the input's own.
    return forms.DateInput(attrs={"type": "date", "aria-label": label}, format="%Y-%m-%d")


class CampaignWizardForm(CleanTextMixin, Form):
    """新建评议活动: everything campaign_create needs, on one page of the office's own."""

    name = forms.CharField(label="活动名称", max_length=120)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    term = forms.CharField(label="届次", max_length=60, help_text="例如：第十七届")
    term_start_year = forms.TypedChoiceField(
        label="本届起始年份", coerce=int, help_text="每届五年，例如第十七届为 2022—2026 年。"
    )
    composition_size = forms.IntegerField(
        label="常委会组成人员总数",
        min_value=1,
        max_value=1000,
        help_text="测评结果按组成人员总数（不是到会人数）计算。",
    )
    is_practice = forms.BooleanField(
        label="试运行（仅用于演练，不公开、不计入届内档案）", required=False
    )
    rating_options = ListField(
        label="满意度选项",
        min_items=2,
        max_length=20,
        widget=ListWidget(add_label="添加选项"),
        help_text="按从好到差的顺序，例如 满意、基本满意、不满意。",
    )
    content_items = ListField(
        label="评议内容", widget=ListWidget(add_label="添加评议内容"), max_length=200
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(today.year - 4, today.year + 2)
        self.fields["term_start_year"].choices = [(y, f"{y}—{y + 4} 年") for y in years]
        for kind in WORK_STAGES:
            label = CampaignStage(kind).label
            self.fields[f"{kind}_start"] = forms.DateField(
                label=f"{label}开始", required=False, widget=_date_widget(f"{label}开始")
            )
            self.fields[f"{kind}_end"] = forms.DateField(
                label=f"{label}结束", required=False, widget=_date_widget(f"{label}结束")
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(field.widget, ListWidget):
                field.widget.attrs.setdefault("class", "form-control")

    def clean_rating_options(self):
        options = self.cleaned_data["rating_options"]
        if "弃权" in options:
            raise forms.ValidationError("满意度选项不含“弃权”：未投的票另行统计。")
        return options

    def clean(self):
        data = super().clean()
        for kind in WORK_STAGES:
            start, end = data.get(f"{kind}_start"), data.get(f"{kind}_end")
            if start and end and end < start:
                self.add_error(f"{kind}_end", "结束日期不能早于开始日期。")
        start_year, year = data.get("term_start_year"), data.get("year")
        if start_year and year and not start_year <= year <= start_year + 4:
            self.add_error("year", f"年度应在本届（{start_year}—{start_year + 4} 年）之内。")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "year": data["year"],
            "term": data["term"],
            "term_start_year": data["term_start_year"],
            "composition_size": data["composition_size"],
            "is_practice": data["is_practice"],
            "rating_options": data["rating_options"],
            "content_items": data["content_items"],
            "stage_dates": {
                kind: (data.get(f"{kind}_start"), data.get(f"{kind}_end")) for kind in WORK_STAGES
            },
        }

    def stage_rows(self):
        return [
            (CampaignStage(kind).label, self[f"{kind}_start"], self[f"{kind}_end"])
            for kind in WORK_STAGES
        ]


class CampaignEditForm(VersionedFormMixin, CampaignWizardForm):
    """修改评议活动: the wizard's fields, filled from the campaign (campaign_edit). The page
    carries the version of the campaign, its stages and content items it was drawn from:
    a save from a page someone else has saved over since is refused (STALE)."""

    def __init__(self, *args, campaign, today: datetime.date, **kwargs):
        stages = {s.kind: s for s in campaign.stages.all()}
        initial = {
            "name": campaign.name,
            "year": campaign.year,
            "term": campaign.term,
            "term_start_year": campaign.term_start_year,
            "composition_size": campaign.composition_size,
            "is_practice": campaign.is_practice,
            "rating_options": campaign.rating_options,
            "content_items": [i.title for i in campaign.content_items.order_by("position", "pk")],
        }
        for kind, stage in stages.items():
            initial[f"{kind}_start"] = stage.planned_start
            initial[f"{kind}_end"] = stage.planned_end
        super().__init__(*args, today=today, initial=initial, **kwargs)
        start = campaign.term_start_year
        choices = self.fields["term_start_year"].choices
        if start and start not in [y for y, _ in choices]:
            self.fields["term_start_year"].choices = [(start, f"{start}—{start + 4} 年"), *choices]

    def edit_kwargs(self) -> dict:
        data = self.service_kwargs()
        return {
            "fields": {
                k: data[k]
                for k in (
                    "name",
                    "year",
                    "term",
                    "term_start_year",
                    "composition_size",
                    "is_practice",
                    "rating_options",
                )
            },
            "stage_dates": data["stage_dates"],
            "content_items": data["content_items"],
        }


class MembersPasteForm(CleanTextMixin, Form):
    """Members pasted from Excel (or typed with commas); checked and shown before saving."""

    rows = forms.CharField(
        label="粘贴常委会组成人员（每行一人）",
        max_length=500_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace"}),
        error_messages={"required": "请粘贴要添加的人员。"},
        help_text="从 Excel 中复制以下各列（可含表头）后粘贴，或每行用逗号分隔："
        "姓名、职务、登录名、计入组成人员（是/否，可不填）。顺序即排序。",
    )


class MembersPasteSaveForm(VersionedFormMixin, MembersPasteForm):
    """确认添加: the previewed rows, saved only if the members did not change meanwhile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rows"].widget = forms.HiddenInput()


class MembersUploadForm(Form):
    """An Excel file of members (the template's columns), checked and shown before saving."""

    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        error_messages={"required": "请选择要上传的 Excel 文件。"},
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )


class ImplementationPlanForm(Form):
    """登记实施方案: the approved work plan's document and its approval date."""

    document = forms.FileField(
        label="实施方案文件（PDF、Word 或 WPS）",
        error_messages={"required": "请选择实施方案文件。"},
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    approved_on = forms.DateField(
        label="批准日期",
        error_messages={"required": "请填写实施方案的批准日期。", "invalid": "批准日期格式不对。"},
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
