"""Every response carries the Content-Security-Policy and the Permissions-Policy, and no
served template needs what the policy refuses: inline scripts, inline event handlers,
style attributes or inline stylesheets without the request's nonce.

The link crawl (tests/workbench/test_my_work_links.py) checks the same headers on every
page each demo login reaches; tests/e2e/test_csp_journey.py loads them in Chromium."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import include, path

from core.roles import Role
from tests.headers import assert_secure_headers, nonce_of

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered only into PDFs by WeasyPrint, never served as a page: their stylesheet is inline
# because WeasyPrint fetches no static file.
PDF_ONLY = {
    "workbench/briefing_pdf.html": "the briefing's PDF, and its frozen issued_html (shown in "
    "a srcdoc frame with the nonce added by workbench.views.briefings._framed)",
    "surveys/investigation_report_pdf.html": "the investigation report's PDF",
    "ballots/paper_pdf.html": "a voter group's paper sheet and counting form (ballots.documents)",
    "workbench/term_record_pdf.html": "the term record's PDF (workbench.term_record)",
    "workbench/demo_document_pdf.html": "the demo's sample attachments (workbench.demo.files)",
}

SCRIPT = re.compile(r"<script\b[^>]*>", re.I)
STYLE = re.compile(r"<style\b[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)


def served_templates():
    for template in sorted(TEMPLATES.rglob("*.html")):
        name = template.relative_to(TEMPLATES).as_posix()
        if name not in PDF_ONLY:
            yield name, template.read_text()


def test_the_pdf_only_exceptions_exist():
    for name in PDF_ONLY:
        assert (TEMPLATES / name).exists(), name


@pytest.mark.parametrize(("name", "text"), list(served_templates()), ids=lambda v: v[:40])
def test_no_served_template_inlines_what_the_policy_refuses(name, text):
    for tag in SCRIPT.findall(text):
        assert "src=" in tag or "nonce=" in tag or 'type="application/json"' in tag, (name, tag)
    for tag in STYLE.findall(text):
        assert "nonce=" in tag, (name, tag)
    assert not HANDLER.search(text), (name, HANDLER.search(text))
    assert not STYLE_ATTRIBUTE.search(text), (name, STYLE_ATTRIBUTE.search(text))


def test_no_python_code_writes_a_style_attribute():
    apps = ("core", "reviews", "subjects", "surveys", "ballots", "rectification", "workbench")
    for app in apps:
        for source in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = source.read_text()
            assert not re.search(r"""style\s*=\s*["']""", text), source
            assert not re.search(r"""attrs\.update\(style""", text), source


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/no-such-page/",
        "/health/",
        "/static/css/site.css",
        "/static/vendor/echarts/echarts.min.js",
    ],
)
def test_anonymous_responses_carry_the_headers(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 404), response.status_code
    assert_secure_headers(response)


@pytest.mark.django_db
def test_the_health_page_styles_itself_with_the_nonce(client):
    response = client.get("/health/", HTTP_ACCEPT="text/html")
    nonce = nonce_of(response)
    assert f'<style nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_pages_of_the_office_and_the_admin_carry_the_headers(client, make_user):
    user = make_user(Role.OFFICE, is_staff=True, is_superuser=True)
    client.force_login(user)
    for url in (
        "/my-work/",
        "/office/",
        "/audit/",
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{user.pk}/change/",
        "/admin/django_celery_beat/periodictask/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        body = response.content.decode()
        nonces = set(re.findall(r'nonce="([^"]*)"', body))
        if nonces:  # an inline script or stylesheet: with this response's nonce
            assert nonces == {nonce_of(response)}, url


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]
handler500 = "core.views.server_error"


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_the_500_page_styles_itself_with_the_nonce():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_secure_headers(response)
    nonce = nonce_of(response)
    body = response.content.decode()
    assert f'<style nonce="{nonce}">' in body and "系统出现错误" in body
