from django.contrib import admin
from django.core.exceptions import PermissionDenied

from core.control_characters import checks_control_characters
from core.forms import AdminLoginForm


class OfficeAdminSite(admin.AdminSite):
    """The office's admin. A logged-in user without admin rights gets 403, not a login form."""

    site_header = "述职评议工作系统 · 办公室管理"
    site_title = "述职评议工作系统"
    index_title = "评议工作管理"

    # The office's work first, in the order a campaign runs; technical things last.
    APP_ORDER = [
        "reviews",
        "subjects",
        "surveys",
        "ballots",
        "rectification",
        "workbench",
        "core",
        "auth",
        "axes",
        "django_celery_beat",
    ]

    # What only a superuser's maintenance needs: the office does not see it listed.
    SUPERUSER_ONLY_APPS = {"django_celery_beat", "axes"}
    SUPERUSER_ONLY_MODELS = {("auth", "Group")}
    # The framework's section names, as the office would call them.
    APP_NAMES = {"auth": "登录账号"}

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if not request.user.is_superuser:
            apps = [app for app in apps if app["app_label"] not in self.SUPERUSER_ONLY_APPS]
            for app in apps:
                app["models"] = [
                    m
                    for m in app["models"]
                    if (app["app_label"], m["object_name"]) not in self.SUPERUSER_ONLY_MODELS
                ]
                app["name"] = self.APP_NAMES.get(app["app_label"], app["name"])
            apps = [app for app in apps if app["models"]]
        rank = {label: i for i, label in enumerate(self.APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], rank["core"]))

    # Refuses over-long logins and control characters itself, before any lookup.
    login_form = AdminLoginForm

    @checks_control_characters
    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied("您没有权限进入办公室管理后台。")
        return super().login(request, extra_context)
