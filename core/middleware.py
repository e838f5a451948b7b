"""Until a login has replaced the password the office gave it, it reaches only the
password change (and logout): the office knows that password, so nothing done with it
should count as its owner's."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Set in the session at login when the account has a PasswordChangeRequired row
# (core.apps), so that other requests need no query to know.
PASSWORD_CHANGE_REQUIRED = "password_change_required"


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # session_key does not load the session: anonymous pages stay untouched (no Vary).
        if request.session.session_key and request.session.get(PASSWORD_CHANGE_REQUIRED):
            allowed = (
                reverse("password_change"),
                reverse("logout"),
                reverse("admin:logout"),
                settings.STATIC_URL,
            )
            if not request.path.startswith(allowed):
                target = reverse("password_change")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)
