from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from .documents import document_for, document_request, document_response, document_title_for
from .errors import ApplicationError
from .models import Notification


@login_required
def notifications(request):
    """The user's messages, newest first; opening the page marks them read."""
    items = list(Notification.objects.filter(user=request.user)[:200])
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "core/notifications.html", {"items": items})


@login_required
def document(request, kind: str, object_id: int):
    title = document_title_for(user=request.user, kind=kind, object_id=object_id)
    if request.method == "POST":
        try:
            document_request(actor=request.user, kind=kind, object_id=object_id)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("document", kind=kind, object_id=object_id)
    return render(
        request,
        "core/document.html",
        {
            "title": title,
            "doc": document_for(kind=kind, object_id=object_id),
            "kind": kind,
            "object_id": object_id,
        },
    )


@login_required
def document_pdf(request, kind: str, object_id: int):
    return document_response(user=request.user, kind=kind, object_id=object_id)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while it is locked out (site and admin alike)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
