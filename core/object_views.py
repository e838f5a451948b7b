"""The one POST path for actions on an object, and the one view for its moves.

`object_post(lookup=…, page=…)` decorates view(request, obj, forms) -> message: POST only,
signed-in users only; the object comes from `lookup(user=…, pk=…)` (which answers 404 for
an object the user may not see); a refusal (ApplicationError) shows the object's page
again with the message, what was typed (the forms the view put in `forms`) and status
400, and nothing is written because every service runs in its own transaction and a view
calls one; on success, the message and back to the page.

`move_view(...)` is the whole view for every move of one entity: the URL's `to` picks the
move from the entity's current state in its Workflow table, the table's access rule and
guard are asked, the POST is read through the move's form, the move's service runs, and
the move's message is shown. No view dispatches moves by hand.

Written here rather than taken from a library: Django's generic class-based views know
nothing of ApplicationError, workflow tables or the re-rendered page with status 400.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from .errors import ApplicationError
from .forms import form_data
from .roles import Role, user_has_role
from .workflow import Workflow

UNKNOWN = "未知操作。"


def office_lookup(queryset) -> Callable:
    """The `lookup` of an object only the office acts on: 403 for anyone else, 404 when
    there is none (`queryset` a model or a queryset with its select_related)."""

    def lookup(*, user, pk: int):
        if not user_has_role(user, Role.OFFICE):
            raise PermissionDenied("您没有权限访问此页面。")
        return get_object_or_404(queryset, pk=pk)

    return lookup


def object_post(
    *, lookup: Callable, page: Callable, detail: str | Callable, done: str = "已保存。"
):
    """Decorate view(request, obj, forms, **kwargs) -> the success message (or None for
    `done`, or a response of its own: a page to print, a redirect elsewhere).
    `page(request, obj, status=400, **forms)` draws the refused page; `detail` is the URL
    name the success redirects to (with pk=obj.pk), or `detail(request, obj)` the URL
    itself (an object shown on another object's page)."""

    def decorator(view):
        @require_POST
        @login_required
        @wraps(view)
        def wrapped(request, pk: int, **kwargs):
            obj = lookup(user=request.user, pk=pk)
            forms: dict = {}
            try:
                message = view(request, obj, forms, **kwargs)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return page(request, obj, status=400, **forms)
            if isinstance(message, HttpResponseBase):  # a page of its own (printed slips)
                return message
            messages.success(request, message or done)
            if callable(detail):
                return redirect(detail(request, obj))
            return redirect(detail, pk=obj.pk)

        return wrapped

    return decorator


def service_kwargs(form) -> dict:
    """What a form gives its service: its own `service_kwargs()`, else its cleaned data."""
    data = form_data(form)
    return form.service_kwargs() if hasattr(form, "service_kwargs") else dict(data)


def move_view(
    *,
    workflow: Workflow,
    lookup: Callable,
    page: Callable,
    detail: str | Callable,
    entity: Callable,
    form_key: str = "form",
):
    """The view for every move of `workflow`'s entity. `entity(obj)` gives the entity the
    page's object holds (or None when it has not started) and the keyword arguments its
    services take (e.g. `{"subject": obj}`); a refused POST shows `page` again with the
    move's form as `form_key`."""

    @object_post(lookup=lookup, page=page, detail=detail)
    def view(request, obj, forms, to: str):
        target, kwargs = entity(obj)
        if not any(m.target == to for m in workflow.moves):
            raise ApplicationError(UNKNOWN)
        if target is None:
            raise ApplicationError(f"还没有{workflow.noun}，不能{workflow.verb(to)}。")
        move = workflow.move(workflow.state(target), to)
        if move is None:
            raise workflow.refuse(workflow.state(target), to)
        workflow.check(target, request.user, move)
        if move.form is not None:
            form = move.form(request.POST, request.FILES, obj)
            forms[form_key] = form
            kwargs = {**kwargs, **service_kwargs(form)}
        result = import_string(move.service)(actor=request.user, **kwargs)
        return move.done.format(obj=obj, result=result) if move.done else None

    return view
