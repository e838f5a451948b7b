"""操作记录: the audit log, readable — Chinese action names, people's names and roles, the
subject or document linked, filters, pages of 50, and the same list as an Excel file."""

from django import forms
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_action_areas, audit_action_label
from core.formats import cn_date, cn_datetime
from core.models import AuditEntry
from core.roles import GROUP_NAMES, SUPERVISORS, Role, role_required, user_has_role
from core.xlsx_writer import Sheet, SheetColumn, xlsx_file_response
from reviews.models import Campaign
from subjects.models import Subject

PAGE_SIZE = 50
EXPORT_LIMIT = 20000
_ROLE_LABELS = {name: str(role.label) for role, name in GROUP_NAMES.items()}

# Where a recorded document is opened, and who may open it there.
_TARGETS = {
    "reviews.campaign": ("campaign_detail", SUPERVISORS),
    "ballots.ballot": ("ballot_detail", (Role.OFFICE,)),
    "ballots.reviewmeeting": ("meeting_detail", SUPERVISORS),
    "surveys.questionnaire": ("questionnaire_detail", (Role.OFFICE,)),
    "surveys.investigationreport": ("investigation_report_detail", SUPERVISORS),
    "surveys.assessmentgroup": ("group_detail", SUPERVISORS),
    "surveys.investigationactivity": ("activity_detail", SUPERVISORS),
    "workbench.briefing": ("briefing_detail", (Role.OFFICE,)),
}


class AuditFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        Campaign.objects.order_by("-year", "name"), required=False, empty_label="全部评议活动"
    )
    # A search box, not a list of every subject (a city holds thousands): a name or a unit,
    # with suggestions from audit_subject_suggestions; an id (from a link) matches exactly.
    subject = forms.CharField(
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "placeholder": "姓名或单位",
                "autocomplete": "off",
                "list": "audit-subject-suggestions",
            }
        ),
    )
    action = forms.ChoiceField(required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            ("", "全部操作"),
            *((area, area) for area in audit_action_areas()),
        ]
        for name, field in self.fields.items():
            kind = "form-select" if name in ("campaign", "subject", "action") else "form-control"
            field.widget.attrs["class"] = f"{kind} {kind}-sm"


def _entries(form: AuditFilterForm):
    # The campaign and subject are generic relations (core names no model above it): their
    # names come with each entry, in the same query, however many there are.
    subject = Subject.objects.filter(pk=OuterRef("subject_id"))
    qs = (
        AuditEntry.objects.select_related("actor")
        .prefetch_related(Prefetch("actor__groups", queryset=Group.objects.only("name")))
        .annotate(
            campaign_name=Subquery(
                Campaign.objects.filter(pk=OuterRef("campaign_id")).values("name")
            ),
            subject_name=Subquery(subject.values("person_name")),
        )
    )
    if not form.is_valid():
        return qs.none()
    data = form.cleaned_data
    if data["campaign"]:
        qs = qs.filter(campaign=data["campaign"])
    if data["subject"]:
        subjects = Subject.objects.filter(_subject_match(data["subject"].strip()))
        qs = qs.filter(subject_id__in=subjects.values("pk"))
    if data["action"]:
        match = Q(pk__in=[])
        for code in audit_action_areas().get(data["action"], []):
            match |= Q(action=code) | Q(action__startswith=f"{code}.")
        qs = qs.filter(match)
    if data["start"]:
        qs = qs.filter(at__date__gte=data["start"])
    if data["end"]:
        qs = qs.filter(at__date__lte=data["end"])
    return qs


def _subject_match(text: str) -> Q:
    if text.isdigit():
        return Q(pk=int(text))
    return Q(person_name__icontains=text) | Q(unit__name__icontains=text)


SUGGESTIONS = 20


@role_required(*SUPERVISORS)
def audit_subject_suggestions(request):
    """The search box's suggestions: at most 20 subjects whose name or unit contains what
    was typed, in the chosen campaign if one is."""
    text = request.GET.get("q", "").strip()[:60]
    if not text:
        return JsonResponse({"subjects": []})
    subjects = Subject.objects.filter(_subject_match(text)).select_related("unit")
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        subjects = subjects.filter(campaign_id=int(campaign))
    found = subjects.order_by("person_name", "pk")[:SUGGESTIONS]
    return JsonResponse(
        {"subjects": [{"value": s.person_name, "label": s.unit.name} for s in found]}
    )


def _actor(entry) -> tuple[str, str]:
    user = entry.actor
    if user is None:
        return "系统", ""
    roles = "、".join(_ROLE_LABELS[g.name] for g in user.groups.all() if g.name in _ROLE_LABELS)
    return user.get_full_name() or user.username, roles


def _target_url(request, entry) -> str:
    found = _TARGETS.get(entry.target_type)
    if found and entry.target_id.isdigit() and user_has_role(request.user, *found[1]):
        return reverse(found[0], args=[int(entry.target_id)])
    return ""


def _rows(request, entries) -> list[dict]:
    rows = []
    for e in entries:
        name, roles = _actor(e)
        rows.append(
            {
                "entry": e,
                "label": audit_action_label(e.action),
                "actor": name,
                "roles": roles,
                "target_url": _target_url(request, e),
            }
        )
    return rows


@role_required(*SUPERVISORS)
def audit_log_page(request):
    form = AuditFilterForm(request.GET or None)
    entries = _entries(form) if request.GET else _entries(AuditFilterForm({}))
    if request.GET.get("format") == "xlsx":
        return _export(request, entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workbench/audit_log.html",
        {
            "form": form if request.GET else AuditFilterForm(),
            "page": page,
            "rows": _rows(request, page.object_list),
            "query": query.urlencode(),
        },
    )


def _export(request, entries):
    rows = (
        [
            cn_datetime(r["entry"].at),
            r["actor"],
            r["roles"],
            r["label"],
            r["entry"].campaign_name or "",
            r["entry"].subject_name or "",
            r["entry"].summary,
        ]
        for r in _rows(request, entries[:EXPORT_LIMIT])
    )
    columns = [
        SheetColumn("时间", width=18),
        SheetColumn("操作人", width=10),
        SheetColumn("角色", width=20),
        SheetColumn("操作", width=24),
        SheetColumn("评议活动", width=30),
        SheetColumn("评议对象", width=10),
        SheetColumn("内容", width=80, wrap=True),
    ]
    return xlsx_file_response(
        [Sheet("操作记录", columns, rows, freeze_header=True)],
        f"操作记录_{cn_date(timezone.localdate())}.xlsx",
    )
