"""Office actions on one object: each its own POST URL, a Chinese message for any refusal."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .errors import ApplicationError
from .roles import Role, role_required


def office_action(queryset, detail: str):
    """Decorate view(request, obj, **kwargs): office only, POST only; the object comes from
    `queryset` by pk (404 otherwise); a refusal becomes a message; then back to the `detail`
    page unless the view returns a response of its own."""

    def decorator(view):
        @require_POST
        @role_required(Role.OFFICE)
        @wraps(view)
        def wrapped(request, pk: int, **kwargs):
            obj = get_object_or_404(queryset, pk=pk)
            try:
                response = view(request, obj, **kwargs)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                response = None
            return response or redirect(detail, pk=obj.pk)

        return wrapped

    return decorator
