"""URLs for benchmarks only: the app's own, plus bare views to compare with."""

import json

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from ballots.elgamal.group import point_from_hex
from ballots.elgamal.sheet import sheet_verify
from ballots.models import Ballot
from core.models import AuditEntry

_KEYS: dict[int, tuple] = {}


@require_POST
def bare_insert(request):
    AuditEntry.objects.create(actor=request.user, action="bench", summary="bench")
    return HttpResponse("ok")


@require_POST
def bare_cast(request, pk: int):
    """The least a cast must do on the server: verify one sheet's proofs (the ballot's key
    and layout read once per process) and insert one row."""
    if pk not in _KEYS:
        ballot = Ballot.objects.get(pk=pk)
        _KEYS[pk] = (point_from_hex(ballot.joint_key), ballot.crypto_id, ballot.layout)
    key, ballot_id, layout = _KEYS[pk]
    sheet_verify(
        json.loads(request.POST["sheet"]), joint_key=key, ballot_id=ballot_id, layout=layout
    )
    AuditEntry.objects.create(actor=request.user, action="bench", summary="bench")
    return HttpResponse("ok")


urlpatterns = [
    path("bench/insert/", bare_insert),
    path("bench/cast/<int:pk>/", bare_cast),
    path("", include("config.urls")),
]
