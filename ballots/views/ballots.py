"""Ballot pages: the office's control page, the member's voting page, the big screen, results."""

import json

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.actions import office_action
from core.errors import ApplicationError
from core.forms import form_data, form_refused
from core.roles import Role, role_required, user_has_role
from core.xlsx_writer import Sheet, SheetColumn, xlsx_file_response
from reviews.models import Campaign

from ..forms import BallotSetupForm, PaperForm, TellersForm, VotingCodesForm, preset_fields
from ..models import (
    BALLOT_WORKFLOW,
    Ballot,
    BallotScheme,
    BallotStatus,
    Eligibility,
    PaperEntryNumber,
)
from ..presets import presets
from ..rules import RuleError, describe
from ..selectors import (
    ballot_groups_summary,
    ballot_receipts,
    ballot_results,
    ballot_results_visible,
    ballot_status_text,
    ballot_turnout,
    ballot_turnout_by_group,
    paper_group_state,
    paper_groups,
    published_ballots,
    tellers_decrypted,
)
from ..services import (
    ballot_close,
    ballot_create,
    ballot_discard_practice,
    ballot_new_round,
    ballot_remind,
    ballot_rule_check,
    ballot_tellers_set,
    ballot_verify,
    paper_enter,
    tellers_missing,
)
from ..services.codes import voting_codes_issue
from ..services.record import ballot_check_lines, ballot_record

RESULT_READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER)


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


@require_safe
@role_required(Role.OFFICE)
def ballot_detail(request, pk: int):
    ballot = get_object_or_404(Ballot.objects.select_related("campaign", "meeting"), pk=pk)
    vote_url = request.build_absolute_uri(reverse("ballot_vote", args=[ballot.pk]))
    closed = ballot.status in (BallotStatus.CLOSED, BallotStatus.PUBLISHED)
    items = list(ballot.items.select_related("subject__unit"))
    groups = paper_groups(ballot)
    for state in groups:
        state.next_entry = _next_entry(state, request.user)
    results = ballot_results(ballot)
    return render(
        request,
        "ballots/ballot_detail.html",
        {
            "ballot": ballot,
            "turnout": ballot_turnout(ballot),
            "group_turnout": ballot_turnout_by_group(ballot),
            "code_groups": list(ballot.voter_groups.filter(is_committee=False))
            if ballot.status in (BallotStatus.DRAFT, BallotStatus.OPEN)
            and ballot.scheme == BallotScheme.ELGAMAL
            else [],
            "vote_url": vote_url,
            "qr": _qr(vote_url),
            "items": items,
            "groups": groups,
            "closed": closed,
            "published": ballot_results_visible(ballot),
            "moves": BALLOT_WORKFLOW.moves_for(ballot, request.user),
            "results": _ordered(ballot, results),
            "chart": _chart_data(ballot, results) if results else None,
            "can_enter_paper": ballot.status in (BallotStatus.DRAFT, BallotStatus.OPEN),
            "entry_choices": PaperEntryNumber.choices,
            "tellers": list(ballot.tellers.select_related("user")),
            "tellers_missing": tellers_missing(ballot)
            if ballot.status == BallotStatus.DRAFT
            else [],
            "tellers_form": TellersForm(ballot=ballot)
            if ballot.status == BallotStatus.DRAFT
            and not ballot.tellers.filter(published_at__isnull=False).exists()
            else None,
            "status_text": ballot_status_text(ballot),
            "past": published_ballots().select_related("campaign").order_by("-published_at")[:20]
            if ballot.status == BallotStatus.DRAFT
            else [],
        },
    )


def _next_entry(state, user) -> int:
    """The entry the user most likely makes now: the first, the second, or their own to redo."""
    for entry in (state.first, state.second):
        if entry is not None and entry.entered_by_id == user.pk:
            return entry.number
    return 1 if state.first is None else 2


_MOVE_SERVICES = {
    BallotStatus.COUNTING: (
        ballot_close,
        "已结束投票。请监票人在“我的工作”中载入监票密钥解密计票。",
    ),
}
# Moves with a page of their own first (ballots.views.publishing): never in one click.
_GUARDED_MOVES = {
    BallotStatus.OPEN: "开始投票须先在确认页面核对测评、投票人和结果规则。",
    BallotStatus.PUBLISHED: "公布结果须先预览公布文本，再确认公布。",
}


_office_post = office_action(Ballot.objects.select_related("campaign"), "ballot_detail")


@_office_post
def ballot_move(request, ballot: Ballot, to: str):
    """One URL per move of the ballot's workflow (open, close, publish)."""
    if to in _GUARDED_MOVES:
        raise ApplicationError(_GUARDED_MOVES[to])
    if to not in _MOVE_SERVICES:
        raise ApplicationError("未知操作。")
    service, done = _MOVE_SERVICES[to]
    service(actor=request.user, ballot=ballot)
    messages.success(request, done)


@_office_post
def ballot_codes_view(request, ballot: Ballot):
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


@_office_post
def ballot_tellers_view(request, ballot: Ballot):
    """The office names the tellers (监票人) and how many of them must decrypt."""
    form = TellersForm(request.POST, ballot=ballot)
    data = form_data(form)
    ballot_tellers_set(
        actor=request.user, ballot=ballot, users=data["users"], threshold=data["threshold"]
    )
    messages.success(request, "监票人已指定。请通知他们在“我的工作”中生成监票密钥。")


@_office_post
def ballot_remind_view(request, ballot: Ballot):
    n = ballot_remind(actor=request.user, ballot=ballot)
    messages.success(
        request,
        f"已提醒 {n} 名尚未投票的人员；有电子邮箱的将收到邮件，"
        "发送情况见管理后台的“邮件发送队列”。",
    )


@_office_post
def ballot_round_view(request, ballot: Ballot):
    new = ballot_new_round(actor=request.user, ballot=ballot)
    messages.success(request, f"已建立第 {new.round} 轮投票。")
    return redirect("ballot_detail", pk=new.pk)


@_office_post
def ballot_discard_view(request, ballot: Ballot):
    campaign_pk = ballot.campaign_id
    ballot_discard_practice(actor=request.user, ballot=ballot)
    messages.success(request, "试投票已作废。")
    return redirect("ballot_list", pk=campaign_pk)


@_office_post
def ballot_paper_view(request, ballot: Ballot):
    """One entry of a voter group's counting form; the second is checked against the first."""
    form = PaperForm(request.POST, ballot=ballot)
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
    elif state.agreed:
        messages.success(request, f"{group.name}纸质票两次录入一致，已计入测评。")
    else:
        messages.success(
            request,
            f"{group.name}纸质票{entry.get_number_display()}已保存，"
            "请另一名工作人员进行第二次录入核对。",
        )


@role_required(Role.OFFICE, Role.LEADING_GROUP)
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


@role_required(Role.OFFICE, Role.LEADING_GROUP)
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


@role_required(*RESULT_READERS)
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
            "can_simulate": user_has_role(
                request.user, Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING
            ),
            "can_check_receipt": Eligibility.objects.filter(
                ballot=ballot, user=request.user
            ).exists(),
        },
    )


@role_required(*RESULT_READERS)
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


@role_required(*RESULT_READERS)
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


@role_required(*RESULT_READERS)
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
