"""The office's ballot set-up form: scale, outcome labels, voter groups, quorum and the
result rule, built field by field (a preset fills them; every one can be changed)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms

from core.forms import REASON_MAX, Form, QuickSelectMultiple
from reviews.forms import ListField, ListWidget

from .models import BallotPurpose, PaperEntryNumber, ReviewMeeting
from .presets import preset_spec, presets
from .rules import (
    BASES,
    COMBINES,
    COMPARES,
    COUNTINGS,
    MAX_DROP,
    METHODS,
    RuleError,
    parse_share,
    points_json,
    share_json,
)
from .rules import parse_points as parse_score
from .services.codes import CODES_MAX

_SPLIT = re.compile(r"[、,，;；/\s]+")
MAX_TEXT = 300


def split_labels(text: str) -> list[str]:
    return [p for p in _SPLIT.split(text or "") if p]


def rule_fields(spec) -> dict:
    """A rule as the form's rule-builder field values (the inverse of rule_spec())."""
    t = spec.threshold
    return {
        "threshold_on": t is not None,
        "threshold_options": "、".join(t.options) if t else "",
        "threshold_counting": t.counting if t else "committee",
        "threshold_compare": t.compare if t else "gt",
        "threshold_share": share_json(t.share) if t else "1/2",
        "threshold_base": t.base if t else "composition",
        "method": spec.method,
        "rate_options": "、".join(spec.rate_options),
        "rate_base": spec.rate_base,
        "counting": spec.counting,
        "bands": "\n".join(
            f"{'>' if b.strict else '>='}"
            f"{points_json(b.share) if spec.scored else share_json(b.share)} {b.outcome}"
            for b in spec.bands
        ),
        "points": "\n".join(f"{o} {points_json(p)}" for o, p in spec.points),
        "drop": spec.drop,
        "combine": spec.combine,
        "not_counted": "、".join(spec.not_counted),
    }


def preset_fields() -> dict:
    """Each preset as the form's own field values, for the page's preset picker."""
    out = {}
    for p in presets():
        spec = preset_spec(
            p["key"], options=p["scale"], outcomes=p["outcomes"], favourable=p["favourable"]
        )
        out[p["key"]] = {
            "options": list(p["scale"]),
            "outcomes": list(p["outcomes"]),
            "favourable": list(p["favourable"]),
            **rule_fields(spec),
        }
    return out


def parse_bands(text: str) -> list[dict]:
    """Lines like '>=80% 满意' or '>2/3 满意' (≥ is the default) → band dicts."""
    bands = []
    for line in (text or "").splitlines():
        line = line.strip().replace("≥", ">=").replace("＞", ">")
        if not line:
            continue
        match = re.fullmatch(r"(>=|>)?\s*([0-9./%％]+)\s+(\S+)", line)
        if not match:
            raise RuleError(f"分档“{line}”看不懂：请写成“>=80% 满意”或“>2/3 满意”，每行一档。")
        bands.append(
            {"share": match.group(2), "strict": match.group(1) == ">", "outcome": match.group(3)}
        )
    return bands


def parse_points(text: str) -> list[list]:
    """Lines (or 、-separated pairs) like '满意 100' → [[option, points]]."""
    points = []
    for part in re.split(r"[\n、,，;；]+", text or ""):
        words = part.split()
        if not words:
            continue
        if len(words) != 2:
            raise RuleError(f"分值“{part.strip()}”看不懂：请写成“满意 100”，每行一个选项。")
        points.append([words[0], words[1]])
    return points


def parse_groups(text: str) -> list[tuple[str, Decimal]]:
    """Lines like '人大代表 0.5' → (name, weight)."""
    groups = []
    for line in (text or "").splitlines():
        parts = line.split()
        if not parts:
            continue
        try:
            weight = Decimal(parts[-1]) if len(parts) > 1 else Decimal(1)
        except InvalidOperation:
            raise RuleError(f"“{line.strip()}”的权重不是数字：请写成“人大代表 0.5”。") from None
        name = " ".join(parts[:-1]) if len(parts) > 1 else parts[0]
        groups.append((name, weight))
    return groups


class ShareField(forms.CharField):
    """A share, typed as a fraction, a percentage or a decimal (1/2, 2/3, 60%, 0.5): checked
    as it is typed into the rule builder (its live sentence lists the field's message) and
    on saving, with the message in Chinese; stored as ballots.rules writes shares."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", {"required": "请填写比例，例如 1/2、2/3 或 60%。"})
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            share = parse_share(value)
        except RuleError as exc:
            raise forms.ValidationError(str(exc), code="share") from None
        if share == 0:
            raise forms.ValidationError("比例应大于 0。", code="share")
        return share_json(share)


def _labels_outside(text: str, allowed: list[str]) -> list[str]:
    return [label for label in split_labels(text) if label not in allowed]


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
        from .services.tellers import teller_candidates

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


class PaperForm(Form):
    """One entry of the counting form (计票单) of one voter group: issued, returned, and per
    subject the sheets for each option and the invalid ones (a blank box is 0)."""

    voter_group = forms.ModelChoiceField(label="投票人类别", queryset=None)
    entry = forms.TypedChoiceField(
        label="录入次序",
        choices=PaperEntryNumber.choices,
        coerce=int,
        help_text="两名工作人员各录入一次；第二次录入与第一次逐项核对，一致后才计入测评。",
    )
    issued = forms.IntegerField(label="发出票数", min_value=0, max_value=PAPER_MAX)
    returned = forms.IntegerField(label="收回票数", min_value=0, max_value=PAPER_MAX)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["voter_group"].queryset = ballot.voter_groups.all()
        self.items = list(ballot.items.select_related("subject"))
        for item in self.items:
            name = item.subject.person_name
            for i, option in enumerate(ballot.sheet_options):
                self.fields[f"c_{item.subject_id}_{i}"] = forms.IntegerField(
                    label=f"{name}“{option}”", min_value=0, max_value=PAPER_MAX, required=False
                )
            self.fields[f"c_{item.subject_id}_invalid"] = forms.IntegerField(
                label=f"{name}无效票", min_value=0, max_value=PAPER_MAX, required=False
            )

    def counts(self) -> dict[int, dict[str, int]]:
        data = self.cleaned_data
        counts = {}
        for item in self.items:
            row = {
                o: data.get(f"c_{item.subject_id}_{i}") or 0
                for i, o in enumerate(self.ballot.sheet_options)
            }
            row["invalid"] = data.get(f"c_{item.subject_id}_invalid") or 0
            counts[item.subject_id] = {k: v for k, v in row.items() if v}
        return counts


class TellersForm(forms.Form):
    """The tellers (监票人) of a ballot, numbered in the list's order, and k."""

    users = forms.ModelMultipleChoiceField(
        label="监票人",
        queryset=None,
        help_text="一般 3 人，从常委会组成人员或工作人员中指定；按住 Ctrl 多选。",
        widget=QuickSelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    threshold = forms.IntegerField(
        label="解密所需人数", initial=2, min_value=2, max_value=9,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text="结束投票后，任意这么多名监票人载入各自的密钥即可计票。",
    )  # fmt: skip

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        from .services.tellers import teller_candidates

        self.fields["users"].queryset = teller_candidates()
        self.fields["users"].label_from_instance = lambda u: u.get_full_name() or u.username
        chosen = [t.user_id for t in ballot.tellers.all()]
        if chosen:
            self.initial["users"] = chosen
            self.initial["threshold"] = ballot.teller_threshold


class BallotOpenForm(Form):
    """开始投票, sent from the confirmation page: ticked after reading what opens, for whom
    and under which rule; with the written reason when the campaign is not in the stage
    the ballot belongs to (ballots.services.ballot_open)."""

    confirmed = forms.BooleanField(
        label="我已核对以上测评、投票人和结果规则，确定开始投票",
        error_messages={"required": "请先核对并勾选确认。"},
    )
    reason = forms.CharField(
        label="不在规定阶段开始投票的理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "评议活动不在本测评规定的阶段，必须写明现在开始投票的理由。"
            )
        else:
            # The page draws no reason box then: a field it does not send.
            del self.fields["reason"]


class BallotPublishPreviewForm(Form):
    """公布结果's first step: the office asks to read the exact public text."""

    # A post without it is a click from elsewhere: say where to start, not "incomplete".
    sometimes_sent = ("step",)

    step = forms.ChoiceField(
        choices=[("preview", "预览公布文本")],
        widget=forms.HiddenInput,
        error_messages={"required": "请从测评页面点“公布结果”进入预览。"},
    )


class BallotPublishForm(Form):
    """公布结果's second step: the digest of the text the office read on the preview, so
    that what is published is exactly what was read (a text changed since is refused)."""

    sometimes_sent = ("digest",)  # missing: no preview was read; say so

    digest = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": "请先预览公布文本，再确认公布。",
            "invalid": "请先预览公布文本，再确认公布。",
        },
    )


class VotingCodesForm(Form):
    """How many one-time voting codes to issue to a voter group without accounts."""

    voter_group = forms.ModelChoiceField(label="投票人类别", queryset=None)
    count = forms.IntegerField(label="投票码个数", min_value=1, max_value=CODES_MAX)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter_group"].queryset = ballot.voter_groups.filter(is_committee=False)
