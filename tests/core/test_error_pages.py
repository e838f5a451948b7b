"""Errors answer in Chinese; 400, 403, the CSRF failure and 404 inside the site's frame,
500 on its own (it must render when the database is what failed)."""

import pytest
from django.test import Client, RequestFactory

from core.roles import Role
from core.views import server_error

FRAME = "述职评议工作系统"


@pytest.mark.django_db
def test_404_in_the_site_frame(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "没有找到您要访问的页面" in body and FRAME in body and "navbar" in body


@pytest.mark.django_db
def test_403_for_a_role_the_user_lacks(client, make_user):
    client.force_login(make_user(Role.MEMBER))
    response = client.get("/office/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "您没有权限访问此页面" in body and "navbar" in body


@pytest.mark.django_db
def test_csrf_failure_explains_in_chinese():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已失效" in body and "Cookie" in body and "navbar" in body


@pytest.mark.django_db
def test_400_for_an_unknown_host(client, settings):
    settings.ALLOWED_HOSTS = ["shuzhi.example.gov.cn"]
    response = client.get("/my-work/", HTTP_HOST="elsewhere.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in body and "navbar" in body


def test_500_renders_without_database_static_files_or_context():
    # No django_db mark: any query would fail this test.
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出现错误" in body and FRAME in body
    assert "/static/" not in body
