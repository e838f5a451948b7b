"""The member's voting page: one screen, a review step, a receipt — the same bytes whatever
was chosen."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render

from core.errors import ApplicationError

from ..models import Ballot, BallotStatus, Eligibility, Participation
from ..services import ballot_cast


def ballot_vote(request, pk: int):
    """The member's one screen: all subjects, a confirmation step, then a receipt."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    ballot = get_object_or_404(Ballot.objects.select_related("campaign"), pk=pk)
    context = {"ballot": ballot}
    if (
        not Eligibility.objects.filter(ballot=ballot, user=request.user).exists()
        and ballot.status == BallotStatus.OPEN
    ):
        return render(
            request, "ballots/ballot_vote.html", {**context, "state": "not_eligible"}, status=403
        )
    if Participation.objects.filter(ballot=ballot, user=request.user).exists():
        return render(request, "ballots/ballot_vote.html", {**context, "state": "voted"})
    if ballot.status != BallotStatus.OPEN:
        return render(request, "ballots/ballot_vote.html", {**context, "state": "closed"})
    items = list(ballot.items.select_related("subject__unit"))
    # Option indices travel, never labels: one digit each, so the request and the review
    # page have the same size whatever was chosen (a network observer sees only sizes).
    picked = {
        item.subject_id: _option_index(request.POST.get(f"s{item.subject_id}"), ballot)
        for item in items
    }
    state, status = "form", 200
    if request.method == "POST":
        step = request.POST.get("step")
        if any(i is None for i in picked.values()):
            messages.error(request, "请对每一名评议对象作出选择。")
            status = 400
        elif step == "review":
            state = "confirm"
        elif step == "confirm":
            try:
                receipt = ballot_cast(
                    actor=request.user,
                    ballot=ballot,
                    choices={sid: ballot.sheet_options[i] for sid, i in picked.items()},
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                return render(
                    request,
                    "ballots/ballot_vote.html",
                    {**context, "state": "receipt", "receipt": receipt},
                )
    rows = [
        {
            "item": item,
            "picked": picked[item.subject_id],
            "options": [
                (i, label, i == picked[item.subject_id])
                for i, label in enumerate(ballot.sheet_options)
            ],
        }
        for item in items
    ]
    return render(
        request,
        "ballots/ballot_vote.html",
        {**context, "state": state, "rows": rows},
        status=status,
    )


def _option_index(raw: str | None, ballot: Ballot) -> int | None:
    # ASCII digits only: str.isdigit() would also take "١" (Arabic-Indic one).
    if raw is None or len(raw) != 1 or not "0" <= raw <= "9":
        return None
    index = int(raw)
    return index if index < len(ballot.sheet_options) else None
