"""The two irreversible acts on a ballot, each behind a page that says what it does:
开始投票 after a confirmation (what opens, for whom, under which rule, and why when out of
its stage), 公布结果 after a preview of the exact text that goes public."""

import hashlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import form_errors_text
from core.roles import Role, role_required

from ..forms import BallotOpenForm, BallotPublishForm, BallotPublishPreviewForm
from ..models import Ballot, BallotPurpose
from ..services import (
    ballot_open,
    ballot_open_stage_problem,
    ballot_open_voters,
    ballot_publish,
    ballot_publish_preview,
    tellers_missing,
)
from ..workflows import ballot_capabilities


def _ballot(pk: int) -> Ballot:
    return get_object_or_404(Ballot.objects.select_related("campaign", "meeting"), pk=pk)


@role_required(Role.OFFICE)
def ballot_open_confirm(request, pk: int):
    """GET: what opening the ballot means; POST: open it once confirmed."""
    ballot = _ballot(pk)
    if not ballot_capabilities(ballot, request.user)["is_draft"]:
        messages.error(request, "这项测评已经开始过投票。")
        return redirect("ballot_detail", pk=ballot.pk)
    stage_problem = ballot_open_stage_problem(ballot)
    form = BallotOpenForm(
        request.POST if request.method == "POST" else None, needs_reason=bool(stage_problem)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ballot_open(
                    actor=request.user,
                    ballot=ballot,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(request, "已开始投票。")
                return redirect("ballot_detail", pk=ballot.pk)
        else:
            messages.error(request, f"未开始投票：{form_errors_text(form)}")
            status = 400
    voters = (
        get_user_model()
        .objects.filter(pk__in=ballot_open_voters())
        .order_by("last_name", "first_name", "username")
    )
    return render(
        request,
        "ballots/ballot_open_confirm.html",
        {
            "ballot": ballot,
            "form": form,
            "stage_problem": stage_problem,
            "items": list(ballot.items.select_related("subject__unit")),
            "voters": [u.get_full_name() or u.username for u in voters],
            "groups": list(ballot.voter_groups.all()),
            "tellers": list(ballot.tellers.select_related("user")),
            "tellers_missing": tellers_missing(ballot),
        },
        status=status,
    )


def goes_public(ballot: Ballot) -> bool:
    """Whether the published results appear on /public/ (workbench.views.public): review
    ballots of real campaigns only, never a practice ballot or a 试运行 campaign."""
    return ballot.purpose == BallotPurpose.REVIEW and not ballot.campaign.is_practice


def public_text(ballot: Ballot, results: list) -> str:
    """The ballot's block exactly as /public/ renders it (the same template)."""
    return render_to_string("ballots/_public_results.html", {"ballot": ballot, "results": results})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@require_POST
@role_required(Role.OFFICE)
def ballot_publish_preview_view(request, pk: int):
    """公布结果, step one: the text that will be published, read before anything is."""
    ballot = _ballot(pk)
    form = BallotPublishPreviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("ballot_detail", pk=ballot.pk)
    try:
        results = ballot_publish_preview(actor=request.user, ballot=ballot)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("ballot_detail", pk=ballot.pk)
    text = public_text(ballot, results)
    return render(
        request,
        "ballots/ballot_publish_preview.html",
        {
            "ballot": ballot,
            "text": text,
            "goes_public": goes_public(ballot),
            "form": BallotPublishForm(initial={"digest": _digest(text)}),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def ballot_publish_confirm(request, pk: int):
    """公布结果, step two: publish, if the text is still the one the office read."""
    ballot = _ballot(pk)
    form = BallotPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("ballot_detail", pk=ballot.pk)
    if not ballot_capabilities(ballot, request.user)["sealed"]:
        messages.error(request, "只有已计票、尚未公布的测评可以公布。")
        return redirect("ballot_detail", pk=ballot.pk)
    results = list(ballot.results.select_related("subject__unit").order_by("rank"))
    if _digest(public_text(ballot, results)) != form.cleaned_data["digest"]:
        messages.error(request, "公布文本与预览时不一致，未公布。请重新预览后再确认。")
        return redirect("ballot_detail", pk=ballot.pk)
    try:
        ballot_publish(actor=request.user, ballot=ballot)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "测评结果已公布。")
    return redirect("ballot_detail", pk=ballot.pk)
