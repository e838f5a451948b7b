"""The admin index puts the office's work first, in campaign order, and technical things
(accounts, periodic tasks) last; the office sees none of the framework's own models
(周期任务, 认证和授权's groups), which stay for a superuser's maintenance."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.roles import Role

pytestmark = pytest.mark.django_db


def _labels(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return [app["app_label"] for app in admin.site.get_app_list(request)]


def test_office_models_first_accounts_last_and_no_framework_models(office, client):
    labels = _labels(office)
    assert labels[0] == "reviews" and labels[-1] == "auth"
    assert labels.index("subjects") < labels.index("ballots") < labels.index("core")
    assert "django_celery_beat" not in labels
    client.force_login(office)
    page = client.get("/admin/").content.decode()
    assert page.index("app-reviews") < page.index("app-auth")
    assert "周期任务" not in page and "认证和授权" not in page and "登录账号" in page
    assert "/admin/auth/group/" not in page and "/admin/auth/user/" in page


def test_a_superuser_still_sees_the_periodic_tasks_last(make_user):
    superuser = make_user(Role.OFFICE, is_staff=True, is_superuser=True)
    labels = _labels(superuser)
    assert labels[-1] == "django_celery_beat" and "auth" in labels


def test_the_audit_filter_offers_areas_in_chinese(office, client):
    client.force_login(office)
    page = client.get("/admin/core/auditentry/").content.decode()
    assert "?area=" in page and "campaign.create" not in page
