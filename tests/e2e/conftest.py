import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make to set up data are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("登录名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/my-work/")

    return do


@pytest.fixture(scope="session", autouse=True)
def _axe_shared_between_workers(tmp_path_factory):
    """Parallel workers (pytest-xdist) check each page kind once for the whole run: they
    share what was checked through a file in the run's temporary directory."""
    from tests.e2e import axe

    if os.environ.get("PYTEST_XDIST_WORKER"):
        axe.use_shared(tmp_path_factory.getbasetemp().parent / "axe-checked.jsonl")


@pytest.fixture(autouse=True)
def axe_audit(request, monkeypatch):
    """axe-core and two screenshots for every page the test's browser pages load
    (tests/e2e/axe.py); serious or critical violations fail the test at its end."""
    from playwright.sync_api import Browser, BrowserContext

    from tests.e2e.axe import AxeAudit

    if "page" in request.fixturenames:
        request.getfixturevalue("page")  # set up first, so that its context closes after us
    context_new_page = BrowserContext.new_page
    audit = AxeAudit(test_name=request.node.name, open_page=context_new_page)
    watched = []
    browser_new_page = Browser.new_page

    def new_page(original):
        def opened(self, *args, **kwargs):
            page = original(self, *args, **kwargs)
            audit.watch(page)
            watched.append(page)
            return page

        return opened

    context_close = BrowserContext.close

    def close(self, *args, **kwargs):
        # A journey that closes its context lets the checks of its pages finish first.
        open_pages = [p for p in self.pages if not p.is_closed()]
        if open_pages:
            audit.wait(open_pages[0])
        return context_close(self, *args, **kwargs)

    monkeypatch.setattr(BrowserContext, "close", close)
    monkeypatch.setattr(BrowserContext, "new_page", new_page(context_new_page))
    monkeypatch.setattr(Browser, "new_page", new_page(browser_new_page))
    # pytest-playwright's own page was opened before the patch.
    if "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        audit.watch(page)
        watched.append(page)
    yield audit
    open_pages = [p for p in watched if not p.is_closed()]
    if open_pages:
        audit.wait(open_pages[0])
    audit.closed = True
    assert not audit.violations, "axe-core（WCAG 2.1 AA）发现严重问题：\n" + "\n".join(
        audit.violations
    )
