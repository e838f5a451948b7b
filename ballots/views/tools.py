"""After a ballot: the rule simulator (评议规则模拟) and the member's receipt lookup."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.roles import LEADERSHIP, Role, role_required, user_has_role
from core.xlsx_writer import Marked, Sheet, SheetColumn, xlsx_file_response

from ..forms import BallotSetupForm, rule_fields
from ..models import Ballot, BallotStatus, Eligibility
from ..presets import preset_spec, presets
from ..rules import RuleError, RuleSpec, spec_problems
from ..selectors import ballot_receipts, ballot_results_visible, rule_simulation

RULE_FIELDS = (
    "threshold_on",
    "threshold_options",
    "threshold_counting",
    "threshold_compare",
    "threshold_share",
    "threshold_base",
    "method",
    "rate_options",
    "rate_base",
    "counting",
    "bands",
    "points",
    "drop",
    "combine",
    "not_counted",
)


def _published(pk: int) -> Ballot:
    ballot = get_object_or_404(Ballot.objects.select_related("campaign"), pk=pk)
    if not ballot_results_visible(ballot):
        raise Http404("测评结果尚未公布。")
    return ballot


def _custom(request, ballot: Ballot):
    """The simulator's own rule builder (GET), prefilled with the ballot's rule."""
    initial = rule_fields(ballot.spec)
    if "method" not in request.GET:
        form = BallotSetupForm(initial=initial, campaign=ballot.campaign)
        return form, None, []
    data = {**initial, **{k: v for k, v in request.GET.items() if k in RULE_FIELDS}}
    data["threshold_on"] = "threshold_on" in request.GET
    filler = {
        "name": "模拟",
        "purpose": "review",
        "options": list(ballot.options),
        "outcomes": list(ballot.outcomes),
        "favourable": list(ballot.favourable),
        "committee_weight": "1",
        "quorum_base": "composition",
        # The rest of the setup form, blank: the simulator only reads the rule.
        "meeting": "",
        "preset": "",
        "teller_threshold": "",
        "extra_groups": "",
        "present_count": "",
        "quorum": "",
    }
    form = BallotSetupForm({**filler, **data}, campaign=ballot.campaign)
    if not form.is_valid():
        return form, None, ["自定义规则填写不完整。"]
    try:
        spec = RuleSpec.from_json(form.rule_spec())
    except RuleError as exc:
        return form, None, [str(exc)]
    problems = spec_problems(spec, options=ballot.options, outcomes=ballot.outcomes)
    return form, (None if problems else spec), problems


def _rules(request, ballot: Ballot, custom) -> list[tuple[str, object, list[str]]]:
    rules = [("本次所用规则", ballot.spec, ballot.outcomes)]
    draft_pk = request.GET.get("draft", "")
    if draft_pk.isdigit() and user_has_role(request.user, Role.OFFICE):
        draft = Ballot.objects.filter(pk=int(draft_pk), status=BallotStatus.DRAFT).first()
        if draft is not None:
            rules.append((f"拟用规则：{draft}", draft.spec, ballot.outcomes))
    for p in presets():
        try:
            spec = preset_spec(
                p["key"],
                options=ballot.options,
                outcomes=ballot.outcomes,
                favourable=ballot.favourable,
            )
        except RuleError:
            spec = None
        rules.append((p["name"].split("：")[0], spec, ballot.outcomes))
    if custom is not None:
        rules.append(("自定义规则", custom, ballot.outcomes))
    return rules


@role_required(*LEADERSHIP)
def ballot_simulate(request, pk: int):
    ballot = _published(pk)
    form, custom, problems = _custom(request, ballot)
    rules = _rules(request, ballot, custom)
    return render(
        request,
        "ballots/ballot_simulate.html",
        {
            "ballot": ballot,
            "rules": [name for name, *_ in rules],
            "rows": rule_simulation(ballot, rules),
            "form": form,
            "problems": problems,
            "query": request.GET.urlencode(),
        },
    )


@role_required(*LEADERSHIP)
def ballot_simulate_xlsx(request, pk: int):
    ballot = _published(pk)
    _form, custom, _problems = _custom(request, ballot)
    rules = _rules(request, ballot, custom)
    rows = (_simulation_row(row) for row in rule_simulation(ballot, rules))
    sheet = Sheet(
        "评议规则模拟",
        [
            SheetColumn("评议对象", width=28),
            *[SheetColumn(name, width=30, wrap=True) for name, *_ in rules],
        ],
        rows,
        heading=f"{ballot.campaign.name} {ballot} 评议规则模拟（不改变已公布结果）",
    )
    return xlsx_file_response([sheet], f"{ballot.campaign.name}_{ballot.name}_评议规则模拟.xlsx")


def _simulation_row(row: dict) -> list:
    subject = row["result"].subject
    cells = []
    for cell in row["cells"]:
        text = f"{cell['label']}\n{cell['explanation']}"
        cells.append(Marked(text) if cell.get("differs") else text)  # a rule that would change it
    return [f"{subject.unit.name}{subject.post} {subject.person_name}", *cells]


def ballot_receipt_check(request, pk: int):
    """A member types (or has prefilled) their receipt and learns 已计入 or 未找到: nothing
    else, never a choice. Only the ballot's own voters see it at all."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    ballot = get_object_or_404(Ballot.objects.select_related("campaign"), pk=pk)
    if not Eligibility.objects.filter(ballot=ballot, user=request.user).exists():
        raise Http404("没有找到该测评。")
    # Trackers are 64 hex digits (12 base32 letters before #22): compared without case.
    code = (request.GET.get("code") or "").strip().lower().replace(" ", "")[:80]
    published = ballot_results_visible(ballot)
    found = None
    if published and code:
        found = code in {r.lower() for r in ballot_receipts(ballot)}
    return render(
        request,
        "ballots/ballot_receipt.html",
        {"ballot": ballot, "code": code, "published": published, "found": found},
    )
