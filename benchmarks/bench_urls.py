"""URLs for benchmarks only: the app's own, plus a bare view that inserts one row."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from core.models import AuditEntry


@require_POST
def bare_insert(request):
    AuditEntry.objects.create(actor=request.user, action="bench", summary="bench")
    return HttpResponse("ok")


urlpatterns = [path("bench/insert/", bare_insert), path("", include("config.urls"))]
