"""The office's ballot set-up form: scale, outcome labels, voter groups, quorum and the
result rule, built field by field (a preset fills them; every one can be changed)."""

from decimal import Decimal

from django import forms

from core.forms import Form, QuickSelectMultiple
from reviews.forms import ListField, ListWidget

from ..models import BallotPurpose, ReviewMeeting
from ..presets import presets
from ..rules import (
    BASES,
    COMBINES,
    COMPARES,
    COUNTINGS,
    MAX_DROP,
    METHODS,
    RuleError,
    parse_share,
)
from ..rules import parse_points as parse_score
from .fields import (
    MAX_TEXT,
    ShareField,
    _labels_outside,
    parse_bands,
    parse_groups,
    parse_points,
    split_labels,
)

# No meeting hall holds more sheets than this; larger numbers are typing mistakes.
PAPER_MAX = 100_000


class BallotSetupForm(Form):
    name = forms.CharField(label="测评名称", max_length=120, initial="述职评议满意度测评")
    purpose = forms.ChoiceField(label="用途", choices=BallotPurpose.choices)
    meeting = forms.ModelChoiceField(
        label="会议", queryset=ReviewMeeting.objects.none(), required=False
    )
    preset = forms.ChoiceField(label="预设规则", required=False)
    tellers = forms.ModelMultipleChoiceField(
        label="监票人",
        queryset=None,
        required=False,
        help_text="一般 3 人，按住 Ctrl 多选；也可建立后在测评页面指定。开始投票前，每名监票人须生成监票密钥。",
        widget=QuickSelectMultiple(attrs={"size": 5}),
    )
    teller_threshold = forms.IntegerField(
        label="解密所需监票人数", initial=2, min_value=2, max_value=9, required=False
    )
    # List editors (reviews.forms.ListWidget, static/js/list_editor.js): one box per
    # label, never a typed list or JSON.
    options = ListField(
        label="选项（从好到差）",
        max_length=20,
        initial=["满意", "基本满意", "不满意"],
        widget=ListWidget(add_label="添加选项"),
    )
    outcomes = ListField(
        label="测评结果档次（从好到差）",
        max_length=20,
        initial=["满意", "基本满意", "不满意"],
        help_text="结果只会是这里的某一档，例如 称职、基本称职、不称职。",
        widget=ListWidget(add_label="添加档次"),
    )
    favourable = ListField(
        label="计为满意的选项",
        max_length=20,
        initial=["满意", "基本满意"],
        widget=ListWidget(add_label="添加选项"),
    )
    abstain_allowed = forms.BooleanField(label="设“弃权”选项", required=False)
    committee_weight = forms.DecimalField(
        label="常委会组成人员的权重",
        initial=Decimal(1),
        min_value=Decimal("0.01"),
        max_value=Decimal("999.99"),
        max_digits=5,
        decimal_places=2,
    )
    extra_groups = forms.CharField(
        label="其他投票人类别（纸质票）",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一类：名称 权重，例如“人大代表 0.5”。",
    )
    present_count = forms.IntegerField(label="出席人数", required=False, min_value=1, max_value=999)
    quorum_base = forms.ChoiceField(
        label="最低参加人数的基数",
        choices=[("composition", BASES["composition"]), ("present", BASES["present"])],
    )
    quorum = forms.IntegerField(
        label="最低参加人数",
        required=False,
        min_value=1,
        max_value=999,
        help_text="不填则为所选基数的过半数。",
    )
    threshold_on = forms.BooleanField(label="先看门槛条件（满足即为最低一档）", required=False)
    threshold_options = forms.CharField(label="门槛：所计选项", required=False, max_length=MAX_TEXT)
    threshold_counting = forms.ChoiceField(label="门槛：计票口径", choices=COUNTINGS.items())
    threshold_compare = forms.ChoiceField(label="门槛：比较", choices=COMPARES.items())
    threshold_share = ShareField(
        label="门槛：比例", initial="1/2", help_text="填分数、百分数或小数，例如 1/2、2/3、60%。"
    )
    threshold_base = forms.ChoiceField(label="门槛：基数", choices=BASES.items())
    method = forms.ChoiceField(label="其余按", choices=METHODS.items())
    rate_options = forms.CharField(
        label="比率：分子所计选项", required=False, max_length=MAX_TEXT, initial="满意、基本满意"
    )
    rate_base = forms.ChoiceField(label="比率：分母", choices=BASES.items(), initial="valid")
    counting = forms.ChoiceField(
        label="比率：计票口径", choices=COUNTINGS.items(), initial="weighted"
    )
    bands = forms.CharField(
        label="分档（从高到低，每行一档）",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=">=80% 满意\n>=50% 基本满意",
        help_text="“>=80% 满意”为达到，“>2/3 满意”为超过；按平均分分档时写分数，如“>=90 满意”。低于各档为最低一档。",
    )
    points = forms.CharField(
        label="分值（按平均分分档时）",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个有效选项及其分值，例如“满意 100”。",
    )
    drop = forms.IntegerField(
        label="各类投票人去掉最高分、最低分各几个",
        required=False,
        min_value=0,
        max_value=MAX_DROP,
        initial=0,
        help_text="0 为不去掉；某类有效票不足 2N+1 张时不去掉。",
    )
    combine = forms.ChoiceField(label="平均分的合计方式", choices=COMBINES.items(), required=False)
    not_counted = forms.CharField(
        label="不计入有效票的选项",
        required=False,
        max_length=MAX_TEXT,
        help_text="例如“不了解”：印在票上、计入收回票，但不计入有效票。",
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = campaign.meetings.all()
        from ..services.tellers import teller_candidates

        self.fields["tellers"].queryset = teller_candidates()
        self.fields["tellers"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["preset"].choices = [
            ("", "自定义"),
            *((p["key"], p["name"]) for p in presets()),
        ]
        self.initial.setdefault("preset", "default")
        self.initial.setdefault("threshold_on", True)
        self.initial.setdefault("threshold_options", "不满意")
        self.initial.setdefault("threshold_counting", "committee")
        self.initial.setdefault("threshold_base", "composition")

    def clean_bands(self):
        """Each line a comparison, a share (or a score) and one of the outcome labels; each
        problem named by its line, in Chinese."""
        text = self.cleaned_data["bands"]
        try:
            bands = parse_bands(text)
        except RuleError as exc:
            raise forms.ValidationError(str(exc), code="bands") from None
        method = self.cleaned_data.get("method")
        if method not in ("bands", "score"):
            return text  # the rule does not read them
        scored = method == "score"
        outcomes = self.cleaned_data.get("outcomes") or []
        if len(outcomes) < 2:
            outcomes = []  # refused by ballot_rule_check, which says so
        problems = []
        for number, band in enumerate(bands, start=1):
            try:
                (parse_score if scored else parse_share)(band["share"])
            except RuleError as exc:
                problems.append(f"第 {number} 档：{exc}")
            if outcomes and band["outcome"] not in outcomes:
                problems.append(
                    f"第 {number} 档：“{band['outcome']}”不是本次测评的结果档次"
                    f"（{'、'.join(outcomes)}）。"
                )
        if problems:
            raise forms.ValidationError(problems, code="bands")
        return text

    def clean(self):
        data = super().clean()
        options = data.get("options")
        # A scale of fewer than two options is refused by ballot_rule_check, which says so.
        if options and len(options) >= 2:
            countable = [*options, *split_labels(data.get("not_counted"))]
            checks = [("rate_options", "满意率")] if data.get("method") == "bands" else []
            if data.get("threshold_on"):
                checks.insert(0, ("threshold_options", "门槛条件"))
            for name, what in checks:
                if name not in data:
                    continue
                if not split_labels(data[name]):
                    self.add_error(name, f"请填写{what}所计的选项，例如“{options[0]}”。")
                elif outside := _labels_outside(data[name], countable):
                    self.add_error(
                        name,
                        f"{what}所计的选项“{'、'.join(outside)}”不是本次测评的选项"
                        f"（{'、'.join(options)}）；多个选项用顿号隔开。",
                    )
        return data

    def rule_spec(self) -> dict:
        """The rule as RuleSpec JSON; raises RuleError with a Chinese message."""
        data = self.cleaned_data
        threshold = None
        if data["threshold_on"]:
            threshold = {
                "options": split_labels(data["threshold_options"]),
                "compare": data["threshold_compare"],
                "share": data["threshold_share"],
                "base": data["threshold_base"],
                "counting": data["threshold_counting"],
            }
        bands = parse_bands(data["bands"])
        spec = {
            "threshold": threshold,
            "method": data["method"],
            "rate_options": split_labels(data["rate_options"]),
            "rate_base": data["rate_base"],
            "counting": data["counting"],
            "bands": bands,
        }
        if data["method"] == "score":
            for band in bands:
                band["score"] = band.pop("share")
            spec["points"] = parse_points(data.get("points"))
            spec["drop"] = data.get("drop") or 0
            spec["combine"] = data.get("combine") or "pooled"
        not_counted = split_labels(data.get("not_counted"))
        if not_counted:
            spec["not_counted"] = not_counted
        return spec

    def service_arguments(self) -> dict:
        """Everything ballot_create takes from this form; raises RuleError."""
        data = self.cleaned_data
        tellers = {
            "tellers": list(data["tellers"]),
            "teller_threshold": data.get("teller_threshold") or 2,
        }
        return {
            **(tellers if data.get("tellers") else {}),
            "name": data["name"],
            "purpose": data["purpose"],
            "meeting": data["meeting"],
            "options": data["options"],
            "outcomes": data["outcomes"],
            "favourable": data["favourable"],
            "abstain_allowed": data["abstain_allowed"],
            "committee_weight": data["committee_weight"],
            "extra_groups": parse_groups(data["extra_groups"]),
            "present_count": data["present_count"],
            "quorum_base": data["quorum_base"],
            "quorum": data["quorum"],
            "rule_spec": self.rule_spec(),
        }
