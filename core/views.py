from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .documents import document_for, document_request, document_response, document_title_for
from .errors import ApplicationError
from .forms import LargeTextForm, NotificationsReadForm, form_data
from .middleware import PASSWORD_CHANGE_REQUIRED
from .models import Notification
from .preferences import LARGE_TEXT
from .services import notifications_mark_read, password_change_clear, user_preference_set
from .workflow import capabilities
from .workflows import DOCUMENT_WORKFLOW


@login_required
def notifications(request):
    """The user's messages, newest first. Opening the page changes nothing (a link
    preview, a prefetch or a crawler must not mark them read); the button does, by POST."""
    if request.method == "POST":
        try:
            data = form_data(NotificationsReadForm(request.POST))
            count = notifications_mark_read(user=request.user, up_to_pk=data["up_to"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。"
            )
        return redirect("notifications")
    items = list(Notification.objects.filter(user=request.user)[:200])
    return render(
        request,
        "core/notifications.html",
        {
            "items": items,
            "unread": sum(1 for n in items if n.read_at is None),
            "newest": items[0].pk if items else 0,
        },
    )


@login_required
@require_POST
def large_text(request):
    """The navbar's 大字模式 switch: remembered for the login, then back to the page."""
    form = LargeTextForm(request.POST)
    try:
        data = form_data(form)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("my_work")
    user_preference_set(user=request.user, large_text=data["large_text"])
    request.session[LARGE_TEXT] = data["large_text"]
    target = data["next"]
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "my_work"
    return redirect(target)


@login_required
def document(request, kind: str, object_id: int):
    title = document_title_for(user=request.user, kind=kind, object_id=object_id)
    if request.method == "POST":
        try:
            document_request(actor=request.user, kind=kind, object_id=object_id)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("document", kind=kind, object_id=object_id)
    doc = document_for(kind=kind, object_id=object_id)
    return render(
        request,
        "core/document.html",
        {
            "title": title,
            "doc": doc,
            "caps": capabilities(doc, request.user, DOCUMENT_WORKFLOW),
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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also ends the first-login requirement and then
    goes where the user was headed (`next`) or to their work."""

    template_name = "registration/password_change.html"

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        allowed = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if allowed else ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            required=bool(self.request.session.get(PASSWORD_CHANGE_REQUIRED)),
            next=self._next(),
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_clear(user=form.user)
        if self.request.session.pop(PASSWORD_CHANGE_REQUIRED, False):
            messages.success(self.request, "密码已修改，请牢记新密码。")
            return redirect(self._next() or settings.LOGIN_REDIRECT_URL)
        return response


def server_error(request):
    """Django's own 500 view plus the request's CSP nonce for the page's one stylesheet.

    The template is rendered without context processors or the database: either may be
    what failed. The nonce is there whenever the CSP middleware saw the request.
    """
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return HttpResponseServerError(loader.get_template("500.html").render({"nonce": nonce}))
