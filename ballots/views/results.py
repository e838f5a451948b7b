"""What a ballot shows beyond the office's control page: the meeting hall's big screen, and
once published the results, their Excel sheet and the counting record (计票记录)."""

import json

import segno
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core.roles import CAMPAIGN_READERS, LEADERSHIP, SUPERVISORS, Role, role_required, user_has_role
from core.xlsx_writer import Sheet, SheetColumn, xlsx_file_response

from ..models import Ballot, BallotScheme, Eligibility
from ..selectors import (
    ballot_groups_summary,
    ballot_receipts,
    ballot_results,
    ballot_results_visible,
    ballot_status_text,
    ballot_turnout,
    ballot_turnout_by_group,
    tellers_decrypted,
)
from ..services import ballot_verify
from ..services.record import ballot_check_lines, ballot_record


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=5)


def _ordered(ballot: Ballot, results: list) -> list:
    """Each result with its counts in the ballot's option order (the stored dict has none)."""
    for r in results:
        r.ordered_counts = [r.counts.get(o, 0) for o in ballot.sheet_options]
    return results


def _chart_data(ballot: Ballot, results: list) -> dict:
    return {
        "options": ballot.sheet_options,
        "outcomes": ballot.outcomes,
        "results": [
            {
                "subject": r.subject.person_name,
                "counts": r.counts,
                "rate": float(r.rate) if r.rate is not None else None,
                "score": float(r.score) if r.score is not None else None,
                "rank": r.rank_text,
                "outcome": r.outcome,
            }
            for r in results
        ],
    }


@role_required(*SUPERVISORS)
def ballot_screen(request, pk: int):
    """The meeting hall's big screen: a QR code to the voting page and the turnout while
    open, the published results after. It reads everything from ballot_screen_data."""
    ballot = get_object_or_404(Ballot, pk=pk)
    vote_url = request.build_absolute_uri(reverse("ballot_vote", args=[ballot.pk]))
    return render(
        request,
        "ballots/ballot_screen.html",
        {
            "ballot": ballot,
            "vote_url": vote_url,
            # No fixed size: the screen's stylesheet makes it as large as the hall needs.
            "qr": segno.make(vote_url, error="m").svg_inline(omitsize=True),
        },
    )


@role_required(*SUPERVISORS)
def ballot_screen_data(request, pk: int):
    """Turnout while open; results only once published."""
    ballot = get_object_or_404(Ballot, pk=pk)
    turnout = ballot_turnout(ballot)
    data = {
        "status": ballot.status,
        "status_label": ballot_status_text(ballot),
        "tellers_decrypted": tellers_decrypted(ballot),
        "tellers_needed": ballot.teller_threshold,
        "name": str(ballot),
        "eligible": turnout["eligible"],
        "voted": turnout["voted"],
        "quorum": ballot.quorum,
        # Per voter group voting on the web: 已投/应投 (a group's codes issued).
        "groups": [
            {"name": g["name"], "voted": g["voted"], "eligible": g["eligible"]}
            for g in ballot_turnout_by_group(ballot)
        ],
        "results": [],
    }
    if user_has_role(request.user, Role.OFFICE):
        # For the control page: who has not voted yet (never anything of how anyone voted).
        data["not_voted"] = [u.get_full_name() or u.username for u in turnout["not_voted"]]
    if ballot_results_visible(ballot):
        data["options"] = ballot.sheet_options
        data["outcomes"] = ballot.outcomes
        data["rule"] = ballot.rule_text
        data["valid"] = ballot.is_valid
        data["results"] = [
            {
                "subject": f"{r.subject.unit.name}{r.subject.post} {r.subject.person_name}",
                "counts": r.counts,
                "rate": float(r.rate) if r.rate is not None else None,
                "score": float(r.score) if r.score is not None else None,
                "rank": r.rank_text,
                "outcome": r.outcome,
            }
            for r in ballot_results(ballot)
        ]
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


def _result_ballot(request, pk: int) -> Ballot:
    ballot = get_object_or_404(Ballot.objects.select_related("campaign"), pk=pk)
    if ballot_results_visible(ballot):
        return ballot
    raise Http404("测评结果尚未公布。")


@role_required(*CAMPAIGN_READERS)
def ballot_result_page(request, pk: int):
    ballot = _result_ballot(request, pk)
    results = ballot_results(ballot)
    return render(
        request,
        "ballots/ballot_results.html",
        {
            "ballot": ballot,
            "results": _ordered(ballot, results),
            "chart": _chart_data(ballot, results),
            "receipts": ballot_receipts(ballot),
            "groups": ballot_groups_summary(ballot),
            "verified": ballot_verify(ballot=ballot),
            "can_simulate": user_has_role(request.user, *LEADERSHIP),
            "can_check_receipt": Eligibility.objects.filter(
                ballot=ballot, user=request.user
            ).exists(),
        },
    )


@role_required(*CAMPAIGN_READERS)
def ballot_result_xlsx(request, pk: int):
    """测评结果统计表."""
    ballot = _result_ballot(request, pk)
    note = (
        f"组成人员总数 {ballot.composition_size} 人；网上投票 {ballot.web_participants} 人；"
        f"规则：{ballot.rule_text}" + ("" if ballot.is_valid else f"；{ballot.invalid_reason}")
    )
    columns = [
        SheetColumn("排名", width=6),
        SheetColumn("评议对象", width=12),
        SheetColumn("单位及职务", width=28),
        *[SheetColumn(option, width=10) for option in ballot.sheet_options],
        SheetColumn("有效票", width=10),
        SheetColumn("得分", width=10, number_format="0.00")
        if ballot.scored
        else SheetColumn("满意率（%）", width=12, number_format="0.00"),
        SheetColumn("测评结果", width=12),
    ]
    figure = "score" if ballot.scored else "rate"
    rows = (
        [
            r.rank_text if r.tied else r.rank,  # a number unless 并列
            r.subject.person_name,
            f"{r.subject.unit.name}{r.subject.post}",
            *[r.counts.get(o, 0) for o in ballot.sheet_options],
            float(r.valid),
            float(getattr(r, figure)) if getattr(r, figure) is not None else "",
            r.outcome,
        ]
        for r in ballot_results(ballot)
    )
    sheet = Sheet(
        "测评结果统计表",
        columns,
        rows,
        heading=f"{ballot.campaign.name} {ballot} 测评结果统计表",
        notes=[note],
    )
    return xlsx_file_response([sheet], f"{ballot.campaign.name}_测评结果统计表.xlsx")


@role_required(*CAMPAIGN_READERS)
def ballot_record_page(request, pk: int):
    """计票记录: what anyone can recheck, and the verifier's report on the stored record."""
    ballot = _result_ballot(request, pk)
    if ballot.scheme != BallotScheme.ELGAMAL:
        raise Http404("旧加密方式的测评没有监票人计票记录。")
    record = ballot_record(ballot)
    return render(
        request,
        "ballots/ballot_record.html",
        {
            "ballot": ballot,
            "record": record,
            "tellers": list(ballot.tellers.select_related("user")),
            "lines": ballot_check_lines(ballot=ballot),
            "trackers": [s["tracker"] for s in record["sheets"]],
        },
    )


@role_required(*CAMPAIGN_READERS)
def ballot_record_json(request, pk: int):
    ballot = _result_ballot(request, pk)
    if ballot.scheme != BallotScheme.ELGAMAL:
        raise Http404("旧加密方式的测评没有监票人计票记录。")
    response = HttpResponse(
        json.dumps(ballot_record(ballot), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}-record.json"'
    return response
