"""The forms of the rectification pages: every POST is read through one of these, so
lengths, dates, choices and ids are checked before any service runs."""

from django import forms

from core.forms import REASON_MAX, TEXT_MAX, Form, VersionedFormMixin

from .models import EscalationKind, ProblemSource, RectificationKind, RowStatus, StepRecipient


class OpinionDraftForm(Form):
    summary = forms.CharField(label="总体评价", required=False, max_length=TEXT_MAX)


class ProblemAddForm(Form):
    content_item = forms.ModelChoiceField(label="类别", queryset=None)
    source = forms.ChoiceField(
        label="来源", choices=[c for c in ProblemSource.choices if c[0] != ProblemSource.FINDING]
    )
    inquiry = forms.ModelChoiceField(label="对应询问", queryset=None, required=False)
    text = forms.CharField(label="问题", max_length=REASON_MAX)

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_item"].queryset = subject.campaign.content_items.all()
        self.fields["inquiry"].queryset = subject.inquiries.all()


class _PerProblemForm(VersionedFormMixin, Form):
    """A form with a group of fields per problem of the opinion, named `<field>_<problem id>`.
    `per_problem` maps each name to a function making that field (all optional: a row
    left empty is skipped by the service, a half-filled one is named in its message)."""

    per_problem: dict = {}

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        for problem in self.problems:
            for name, make in self.per_problem.items():
                field = make()
                field.required = False
                field.label = f"问题 {problem.position}{field.label}"
                self.fields[f"{name}_{problem.pk}"] = field

    def rows(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            p.pk: {name: data.get(f"{name}_{p.pk}") for name in self.per_problem}
            for p in self.problems
        }


class PlanForm(_PerProblemForm):
    per_problem = {
        "measures": lambda: forms.CharField(label="整改措施", max_length=REASON_MAX),
        "responsible": lambda: forms.CharField(label="责任人", max_length=80),
        "time_limit": lambda: forms.DateField(label="完成时限"),
        "target": lambda: forms.CharField(label="整改目标", max_length=300),
    }
    document = forms.FileField(label="方案文件", required=False)

    def service_kwargs(self) -> dict:
        return {"rows": self.rows(), "document": self.cleaned_data["document"]}


class ReportForm(_PerProblemForm):
    per_problem = {
        "status": lambda: forms.ChoiceField(
            label="完成情况", choices=[("", "（请选择）"), *RowStatus.choices]
        ),
        "done": lambda: forms.CharField(label="整改情况", max_length=REASON_MAX),
        "evidence": lambda: forms.FileField(label="佐证材料"),
    }
    text = forms.CharField(label="书面整改情况报告", required=False, max_length=TEXT_MAX)

    def evidence(self) -> dict:
        return {pid: row["evidence"] for pid, row in self.rows().items() if row["evidence"]}

    def service_kwargs(self) -> dict:
        return {
            "text": self.cleaned_data["text"],
            "rows": self.rows(),
            "evidence": self.evidence(),
        }


class ConcludeForm(Form):
    new_due_on = forms.DateField(label="继续整改报告期限", required=False)


class EscalationForm(Form):
    kind = forms.ChoiceField(label="事项", choices=EscalationKind.choices)
    text = forms.CharField(label="内容", max_length=REASON_MAX)
    due_on = forms.DateField(label="期限", required=False)


class StepDoneForm(Form):
    done_on = forms.DateField(label="完成日期")
    note = forms.CharField(label="说明", required=False, max_length=300)


class ExtendForm(Form):
    kind = forms.ChoiceField(label="事项", choices=RectificationKind.choices)
    new_due_on = forms.DateField(label="新期限")
    reason = forms.CharField(label="延期理由", max_length=REASON_MAX)


class RectificationSettingsForm(VersionedFormMixin, Form):
    """整改结论方式 and the assessment groups' oversight, on the campaign's settings page."""

    rectification_conclusion = forms.ChoiceField(
        label="整改结论方式",
        choices=[
            (
                "ballot",
                "组成人员满意度测评（组成人员过半数不满意的，由主任会议责成整改并再次报告）",
            ),
            ("directors_meeting", "主任会议决定通过或进一步整改（不组织测评）"),
        ],
        widget=forms.RadioSelect,
    )
    groups_oversee_rectification = forms.BooleanField(
        label="履职初评小组检查督促所评议对象的整改，并向主任会议报告", required=False
    )


class StepForm(Form):
    name = forms.CharField(label="报送事项", max_length=100)
    recipient = forms.ChoiceField(label="报送对象", choices=StepRecipient.choices)
    due_days = forms.IntegerField(label="评议会议后天数", min_value=0, max_value=366)


class StepEditForm(VersionedFormMixin, StepForm):
    pass


class CheckForm(Form):
    text = forms.CharField(label="整改检查意见", max_length=REASON_MAX)


class MeetingDecisionForm(Form):
    decided_on = forms.DateField(label="主任会议日期")
    minutes = forms.FileField(label="主任会议纪要（PDF 或 Word）", required=False)
    outcome = forms.ChoiceField(
        label="决定",
        choices=[("satisfied", "满意，整改完成"), ("continued", "责成继续整改")],
        widget=forms.RadioSelect,
    )
    new_due_on = forms.DateField(label="继续整改报告期限", required=False)
