"""The admin index puts the office's work first, in campaign order, and technical things
(accounts, periodic tasks) last."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_office_models_first_periodic_tasks_last(office, client):
    request = RequestFactory().get("/admin/")
    request.user = office
    labels = [app["app_label"] for app in admin.site.get_app_list(request)]
    assert labels[0] == "reviews" and labels[-1] == "django_celery_beat"
    assert labels.index("subjects") < labels.index("ballots") < labels.index("core")
    assert labels.index("core") < labels.index("auth")
    client.force_login(office)
    page = client.get("/admin/").content.decode()
    assert page.index("app-reviews") < page.index("app-django_celery_beat")
