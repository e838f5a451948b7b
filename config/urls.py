from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from core import views as core_views
from core.control_characters import checks_control_characters
from core.forms import LoginForm
from core.health import HealthView

urlpatterns = [
    path("favicon.ico", lambda request: HttpResponse(status=204)),
    path("health/", HealthView.as_view(), name="health"),
    path("notifications/", core_views.notifications, name="notifications"),
    path("accounts/large-text/", core_views.large_text, name="large_text"),
    path("documents/<str:kind>/<int:object_id>/", core_views.document, name="document"),
    path("documents/<str:kind>/<int:object_id>/pdf/", core_views.document_pdf, name="document_pdf"),
    path(
        "accounts/login/",
        # The login form refuses control characters itself and shows what was typed.
        checks_control_characters(
            auth_views.LoginView.as_view(
                template_name="registration/login.html",
                authentication_form=LoginForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        core_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("", include("reviews.urls")),
    path("", include("subjects.urls")),
    path("", include("surveys.urls")),
    path("", include("ballots.urls")),
    path("", include("rectification.urls")),
    path("", include("workbench.urls")),
    path("admin/", admin.site.urls),
]

# The 500 page carries the CSP nonce for its inline stylesheet (core.views.server_error).
handler500 = "core.views.server_error"
