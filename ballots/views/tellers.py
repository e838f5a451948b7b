"""The teller's (监票人) page: make a key, send owed shares, decrypt the sums. All the
cryptography runs in the teller's browser (static/js/ballot_teller.js); these views hand
it the public data and take back what it posts, through the services that check it."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError

from ..models import Ballot, Teller
from ..selectors import ballot_status_text, teller_tasks
from ..services import ballot_decrypt, teller_publish, teller_shares_send
from ..services.tellers import tellers_shares_for
from ..workflows import ballot_capabilities

BODY_MAX = 5_000_000


def _teller(request, pk: int) -> Teller:
    teller = (
        Teller.objects.select_related("ballot__campaign")
        .filter(ballot_id=pk, user=request.user)
        .first()
    )
    if teller is None:
        raise Http404("您不是本次测评的监票人。")
    return teller


@login_required
def ballot_teller(request, pk: int):
    teller = _teller(request, pk)
    ballot = teller.ballot
    task = dict((t.pk, task) for t, task in teller_tasks(request.user)).get(teller.pk, "")
    publics = {
        t.index: t.public for t in Teller.objects.filter(ballot=ballot, published_at__isnull=False)
    }
    data = {
        "task": task,
        "ballot_id": ballot.crypto_id,
        "ballot_name": str(ballot),
        "n": ballot.teller_count,
        "k": ballot.teller_threshold,
        "index": teller.index,
        "publics": publics,
        "owed": sorted(set(publics) - {teller.index} - {int(j) for j in teller.shares}),
    }
    if task == "decrypt":
        data["joint_key"] = ballot.joint_key
        data["tally"] = ballot.tally
        data["sealed"] = tellers_shares_for(ballot, teller.index)
    return render(
        request,
        "ballots/ballot_teller.html",
        {
            "ballot": ballot,
            "teller": teller,
            "task": task,
            "data": data,
            "status_text": ballot_status_text(ballot),
            "counting": ballot_capabilities(ballot, request.user)["counting"],
        },
    )


def _posted(request) -> dict:
    if len(request.body) > BODY_MAX:
        raise ApplicationError("提交的内容过大。")
    try:
        data = json.loads(request.body)
    except ValueError:
        raise ApplicationError("提交的内容无法读取。") from None
    if not isinstance(data, dict):
        raise ApplicationError("提交的内容无法读取。")
    return data


def _json_action(request, pk: int, act) -> JsonResponse:
    ballot = get_object_or_404(Ballot, pk=pk)
    try:
        message = act(ballot, _posted(request))
    except ApplicationError as exc:
        return JsonResponse({"ok": False, "message": exc.message}, status=400)
    return JsonResponse({"ok": True, "message": message})


@require_POST
@login_required
def teller_publish_view(request, pk: int):
    def act(ballot, data):
        teller_publish(
            actor=request.user, ballot=ballot, public=data.get("public"), shares=data.get("shares")
        )
        return "监票密钥已生成，公开部分已登记。"

    return _json_action(request, pk, act)


@require_POST
@login_required
def teller_shares_view(request, pk: int):
    def act(ballot, data):
        teller_shares_send(actor=request.user, ballot=ballot, shares=data.get("shares"))
        return "份额已发送。"

    return _json_action(request, pk, act)


@require_POST
@login_required
def teller_decrypt_view(request, pk: int):
    def act(ballot, data):
        ballot = ballot_decrypt(actor=request.user, ballot=ballot, partial=data.get("partial"))
        if ballot_capabilities(ballot, request.user)["counted"]:
            return "解密结果已通过校验。监票人人数已够，计票完成；结果在公布前保持封存。"
        return f"解密结果已通过校验。{ballot_status_text(ballot)}。"

    return _json_action(request, pk, act)
