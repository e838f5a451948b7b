"""Every request that may write runs in one transaction, and a refused one writes nothing.

Django's ATOMIC_REQUESTS commits whatever a view wrote unless it raised; but our views
refuse by answering (a 4xx page, or a redirect carrying an error message), often after a
first service has already written (save, then submit). This middleware wraps each unsafe
request in one transaction and rolls it back when the answer is a refusal, so a form is
applied whole or not at all. Views marked with ``transaction.non_atomic_requests`` (the
questionnaire answer, whose sealed answer must never share a transaction with the code
it used) keep their own transactions.

Work handed to Celery is published when this transaction commits (core.queue). If the
broker is down, publishing raises an ApplicationError after the commit, once the response
is made: the writes stand (the job is marked failed so it can be asked for again), and the
user is sent where the view sent them, told why instead of told it worked.

It sits innermost, after django-axes: a failed login answers 200 and its recorded failure
commits; the lockout page axes answers later is outside this transaction.
"""

from django.contrib import messages
from django.contrib.messages import ERROR, SUCCESS
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve

from .errors import ApplicationError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _non_atomic(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return DEFAULT_DB_ALIAS in getattr(match.func, "_non_atomic_requests", ())


def _refused(request, response) -> bool:
    if response.status_code >= 400:
        return True
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", ())
    return any(message.level >= ERROR for message in queued)


class AtomicRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or _non_atomic(request):
            return self.get_response(request)
        response = None
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if _refused(request, response):
                    transaction.set_rollback(True)
        except ApplicationError as exc:
            if response is None:  # raised by the view itself, not by a commit hook
                raise
            return _told_after_commit(request, response, exc)
        return response


def _told_after_commit(request, response, exc: ApplicationError):
    storage = getattr(request, "_messages", None)
    if storage is not None:
        storage._queued_messages = [m for m in storage._queued_messages if m.level < SUCCESS]
    messages.error(request, exc.message)
    if isinstance(response, HttpResponseRedirect):
        return response
    return HttpResponseRedirect(request.get_full_path())
