"""The office's ballot pages: the list with the set-up form, the rule builder's live
sentence, the control page, and every office POST on a ballot. Moves run through the one
generic move view by their row in ballots.workflows; the other actions are thin views on
the one POST path (core.object_views.object_post). A refusal shows the control page again
with the message and what was typed (400), and nothing is written."""

import segno
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.errors import ApplicationError
from core.forms import form_data, form_refused
from core.object_views import UNKNOWN, move_view, object_post, office_lookup
from core.roles import Role, role_required
from reviews.models import Campaign

from ..forms import BallotSetupForm, PaperForm, TellersForm, VotingCodesForm, preset_fields
from ..models import Ballot, PaperEntryNumber
from ..presets import presets
from ..rules import RuleError, describe
from ..selectors import (
    ballot_results,
    ballot_results_visible,
    ballot_status_text,
    ballot_turnout,
    ballot_turnout_by_group,
    paper_group_state,
    paper_groups,
    published_ballots,
)
from ..services import (
    ballot_create,
    ballot_discard_practice,
    ballot_new_round,
    ballot_remind,
    ballot_rule_check,
    ballot_tellers_set,
    paper_enter,
    tellers_missing,
)
from ..services.codes import voting_codes_issue
from ..workflows import BALLOT_WORKFLOW, OWN_PAGE, ballot_capabilities
from .results import _chart_data, _ordered, _qr


@role_required(Role.OFFICE)
def ballot_list(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = BallotSetupForm(request.POST if request.method == "POST" else None, campaign=campaign)
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = form_refused(request, form)
    elif request.method == "POST":
        try:
            ballot = ballot_create(
                actor=request.user,
                campaign=campaign,
                rule_preset=form.cleaned_data["preset"] or "custom",
                **form.service_arguments(),
            )
        except (ApplicationError, RuleError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, "测评已建立。")
            return redirect("ballot_detail", pk=ballot.pk)
    ballots = campaign.ballots.select_related("meeting").order_by("-created_at")
    return render(
        request,
        "ballots/ballot_list.html",
        {
            "campaign": campaign,
            "ballots": ballots,
            "form": form,
            "presets": preset_fields(),
            "preset_sources": presets(),
            "past": published_ballots()
            .filter(campaign__isnull=False)
            .order_by("-published_at")[:20],
        },
        status=status,
    )


@role_required(Role.OFFICE)
def ballot_rule_preview(request, pk: int):
    """The rule builder's live sentence: what the rule says, or what is wrong with it."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = BallotSetupForm(request.POST if request.method == "POST" else None, campaign=campaign)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label}：{' '.join(e)}"
            for f, e in form.errors.items()
            if f in form.fields
        ]
        return JsonResponse({"text": "", "problems": problems})
    try:
        args = form.service_arguments()
        outcomes = args["outcomes"]
        spec = ballot_rule_check(
            options=args["options"],
            outcomes=outcomes,
            rule_spec=args["rule_spec"],
            present_count=args["present_count"],
        )
    except (ApplicationError, RuleError) as exc:
        return JsonResponse({"text": "", "problems": [getattr(exc, "message", str(exc))]})
    return JsonResponse({"text": describe(spec, outcomes), "problems": []})


# The ballot an office POST acts on.
office_ballot = office_lookup(Ballot.objects.select_related("campaign", "meeting"))


def _paper_rows(ballot: Ballot, items: list, typed=None) -> list:
    """The counting form's boxes per subject, with what was typed when a refused entry
    shows the page again (a blank box is 0)."""
    get = typed.get if typed is not None else (lambda name, default: default)
    rows = []
    for item in items:
        name = item.subject.person_name
        boxes = [
            {"name": f"c_{item.subject_id}_{i}", "label": f"{name} {o}"}
            for i, o in enumerate(ballot.sheet_options)
        ]
        boxes.append({"name": f"c_{item.subject_id}_invalid", "label": f"{name} 无效票"})
        for box in boxes:
            box["value"] = get(box["name"], "0")
        rows.append({"item": item, "boxes": boxes})
    return rows


def _detail_page(request, ballot: Ballot, *, status: int = 200, **forms):
    """The office's control page; `forms` holds a refused POST's form, shown as typed."""
    vote_url = request.build_absolute_uri(reverse("ballot_vote", args=[ballot.pk]))
    caps = ballot_capabilities(ballot, request.user)
    items = list(ballot.items.select_related("subject__unit"))
    paper = forms.get("paper")
    typed_group = str(paper.data.get("voter_group", "")) if paper is not None else ""
    groups = paper_groups(ballot)
    for state in groups:
        state.next_entry = _next_entry(state, request.user)
        typed = paper.data if typed_group == str(state.group.pk) else None
        state.rows = _paper_rows(ballot, items, typed)
        state.typed = typed or {}
        if typed is not None and typed.get("entry") in ("1", "2"):
            state.next_entry = int(typed["entry"])
    results = ballot_results(ballot)
    return render(
        request,
        "ballots/ballot_detail.html",
        {
            "ballot": ballot,
            "caps": caps,
            "turnout": ballot_turnout(ballot),
            "group_turnout": ballot_turnout_by_group(ballot),
            "code_groups": list(ballot.voter_groups.filter(is_committee=False))
            if caps["issue_codes"]
            else [],
            "vote_url": vote_url,
            "qr": _qr(vote_url),
            "items": items,
            "groups": groups,
            "published": ballot_results_visible(ballot),
            "results": _ordered(ballot, results),
            "chart": _chart_data(ballot, results) if results else None,
            "entry_choices": PaperEntryNumber.choices,
            "tellers": list(ballot.tellers.select_related("user")),
            "tellers_missing": tellers_missing(ballot) if caps["is_draft"] else [],
            "tellers_form": forms.get("tellers_form") or TellersForm(ballot=ballot)
            if caps["set_tellers"]
            else None,
            "status_text": ballot_status_text(ballot),
            "past": published_ballots().select_related("campaign").order_by("-published_at")[:20]
            if caps["is_draft"]
            else [],
        },
        status=status,
    )


@require_safe
@role_required(Role.OFFICE)
def ballot_detail(request, pk: int):
    return _detail_page(request, office_ballot(user=request.user, pk=pk))


def _next_entry(state, user) -> int:
    """The entry the user most likely makes now: the first, the second, or their own to redo."""
    for entry in (state.first, state.second):
        if entry is not None and entry.entered_by_id == user.pk:
            return entry.number
    return 1 if state.first is None else 2


_ballot_post = object_post(lookup=office_ballot, page=_detail_page, detail="ballot_detail")
_button_moves = move_view(
    workflow=BALLOT_WORKFLOW,
    lookup=office_ballot,
    page=_detail_page,
    detail="ballot_detail",
    entity=lambda ballot: (ballot, {"ballot": ballot}),
)
# The moves one button makes (结束投票): those someone may make, without a page of their own.
BUTTON_MOVES = {m.target for m in BALLOT_WORKFLOW.moves if m.roles and m.target not in OWN_PAGE}


@_ballot_post
def _not_a_button(request, ballot: Ballot, forms, to: str):
    """开始投票 and 公布结果 have a page of their own (ballots.views.publishing); counting
    is made by the tellers' decryption alone."""
    raise ApplicationError(OWN_PAGE.get(to, UNKNOWN))


def ballot_move(request, pk: int, to: str):
    """One URL per move of the ballot's workflow: the table's row says what it does."""
    view = _button_moves if to in BUTTON_MOVES else _not_a_button
    return view(request, pk=pk, to=to)


@_ballot_post
def ballot_codes_view(request, ballot: Ballot, forms):
    """Issue voting codes to a voter group and answer with its slips, ready to print: the
    plain codes are stored nowhere, so this page is the only time they are shown."""
    form = VotingCodesForm(request.POST, ballot=ballot)
    data = form_data(form)
    group = data["voter_group"]
    codes = voting_codes_issue(
        actor=request.user, ballot=ballot, voter_group=group, count=data["count"]
    )
    base = request.build_absolute_uri(reverse("ballot_vote_code"))
    slips = [{"code": c, "url": f"{base}?c={c}", "qr": _qr_slip(f"{base}?c={c}")} for c in codes]
    response = render(
        request,
        "ballots/code_slips.html",
        {"ballot": ballot, "group": group, "slips": slips, "entry_url": base},
    )
    response["Cache-Control"] = "no-store"
    return response


def _qr_slip(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4)


@_ballot_post
def ballot_tellers_view(request, ballot: Ballot, forms):
    """The office names the tellers (监票人) and how many of them must decrypt."""
    form = forms["tellers_form"] = TellersForm(request.POST, ballot=ballot)
    data = form_data(form)
    ballot_tellers_set(
        actor=request.user, ballot=ballot, users=data["users"], threshold=data["threshold"]
    )
    return "监票人已指定。请通知他们在“我的工作”中生成监票密钥。"


@_ballot_post
def ballot_remind_view(request, ballot: Ballot, forms):
    n = ballot_remind(actor=request.user, ballot=ballot)
    return (
        f"已提醒 {n} 名尚未投票的人员；有电子邮箱的将收到邮件，发送情况见管理后台的“邮件发送队列”。"
    )


@_ballot_post
def ballot_round_view(request, ballot: Ballot, forms):
    new = ballot_new_round(actor=request.user, ballot=ballot)
    messages.success(request, f"已建立第 {new.round} 轮投票。")
    return redirect("ballot_detail", pk=new.pk)


@_ballot_post
def ballot_discard_view(request, ballot: Ballot, forms):
    campaign_pk = ballot.campaign_id
    ballot_discard_practice(actor=request.user, ballot=ballot)
    messages.success(request, "试投票已作废。")
    return redirect("ballot_list", pk=campaign_pk)


@_ballot_post
def ballot_paper_view(request, ballot: Ballot, forms):
    """One entry of a voter group's counting form; the second is checked against the first."""
    form = forms["paper"] = PaperForm(request.POST, ballot=ballot)
    data = form_data(form)
    group = data["voter_group"]
    entry = paper_enter(
        actor=request.user,
        ballot=ballot,
        voter_group=group,
        number=data["entry"],
        issued=data["issued"],
        returned=data["returned"],
        counts=form.counts(),
    )
    state = paper_group_state(ballot, group)
    if state.differences:
        messages.warning(
            request,
            f"{group.name}纸质票两次录入不一致，暂不计入测评，结束投票前须核对并重做其中一次："
            + "；".join(state.differences)
            + "。",
        )
        return redirect("ballot_detail", pk=ballot.pk)
    if state.agreed:
        return f"{group.name}纸质票两次录入一致，已计入测评。"
    return (
        f"{group.name}纸质票{entry.get_number_display()}已保存，"
        "请另一名工作人员进行第二次录入核对。"
    )
