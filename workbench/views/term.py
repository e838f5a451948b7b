"""届内履职评议档案 pages: the terms, one term's persons and units, and each one's record
across the term's campaigns, with a trend chart and an Excel export. Read-only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.xlsx_writer import Sheet, SheetColumn, xlsx_file_response
from subjects.models import Subject, Unit

from ..term_record import people_and_units, term_for_user, term_rows, terms_for_user, trend

EXPORT_COLUMNS = [
    SheetColumn("年度", 8),
    SheetColumn("评议活动", 30),
    SheetColumn("姓名", 10),
    SheetColumn("单位", 22),
    SheetColumn("职务", 14),
    SheetColumn("评议形式", 12),
    SheetColumn("测评结果", 10),
    SheetColumn("满意率（%）", 10, number_format="0.00"),
    SheetColumn("结果规则", 40, wrap=True),
    SheetColumn("评议意见", 40, wrap=True),
    SheetColumn("整改方案", 16),
    SheetColumn("整改情况报告", 16),
    SheetColumn("继续整改", 8),
    SheetColumn("述职报告", 12),
]


def _export_row(row) -> list:
    s, result = row.subject, row.result
    opinion = ""
    if row.opinion is not None:
        opinion = "；".join([row.opinion.summary, *(p.text for p in row.problems)]).strip("；")
    return [
        s.campaign.year,
        s.campaign.name,
        s.person_name,
        s.unit.name,
        s.post,
        s.get_review_form_display(),
        result.outcome if result else "未公布",
        float(result.rate) if result and result.rate is not None else None,
        result.rule_snapshot.get("text", "") if result else "",
        opinion,
        row.plan_state,
        row.report_state,
        "是" if row.continued else "",
        row.duty_report,
    ]


@login_required
def term_index(request):
    terms = terms_for_user(request.user)
    if len(terms) == 1:
        return redirect("term_detail", start_year=terms[0].start_year)
    return render(request, "workbench/term_index.html", {"terms": terms})


@login_required
def term_detail(request, start_year: int):
    term, campaigns = term_for_user(request.user, start_year)
    rows = term_rows(campaigns)
    people, units = people_and_units(rows)
    return render(
        request,
        "workbench/term_detail.html",
        {"term": term, "campaigns": campaigns, "people": people, "units": units, "rows": rows},
    )


def _record(request, start_year: int, *, person: str | None = None, unit: Unit | None = None):
    term, campaigns = term_for_user(request.user, start_year)
    subjects = (
        Subject.objects.filter(person_name=person) if person else Subject.objects.filter(unit=unit)
    )
    rows = term_rows(campaigns, subjects)
    return term, rows


@login_required
def term_person(request, start_year: int, name: str):
    term, rows = _record(request, start_year, person=name)
    if not rows:
        raise Http404("这一届的评议活动中没有此评议对象。")
    return _record_page(request, term, rows, title=name, export_kind="person", key=name)


@login_required
def term_unit(request, start_year: int, unit_pk: int):
    unit = get_object_or_404(Unit, pk=unit_pk)
    term, rows = _record(request, start_year, unit=unit)
    if not rows:
        raise Http404("这一届的评议活动中没有此评议对象。")
    return _record_page(request, term, rows, title=unit.name, export_kind="unit", key=unit.pk)


def _record_page(request, term, rows, *, title, export_kind, key):
    if request.GET.get("format") == "xlsx":
        return xlsx_file_response(
            [
                Sheet(
                    title="届内履职评议档案",
                    heading=f"{term.label}履职评议档案：{title}",
                    columns=EXPORT_COLUMNS,
                    rows=(_export_row(r) for r in rows),
                    freeze_header=True,
                )
            ],
            f"届内履职评议档案-{title}.xlsx",
        )
    return render(
        request,
        "workbench/term_record.html",
        {"term": term, "rows": rows, "title": title, "chart": trend(rows)},
    )
