"""The requests of .ci/prod-smoke, as a browser would send them: forms with their CSRF
token, cookies kept per user, links followed from the pages rather than URLs guessed.

    prod_smoke.py serve URL STATIC_ROOT   security headers, static file, logins, a practice
                                          vote, a briefing PDF through the worker, /health/
    prod_smoke.py restored URL            the restored copy serves the same data and files

Standard library only, so it runs with any Python.
"""

import html.parser
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DEMO_PASSWORD = "demo12345"
# If the site makes a user change the demo password at first login, the new one is kept here
# (and written next to the backup, since the restored copy holds the changed password).
NEW_PASSWORD = "Smoke-Test-Pass-2024!"


class Page(html.parser.HTMLParser):
    """Links, forms and buttons of one HTML page."""

    def __init__(self, url: str, body: str):
        super().__init__()
        self.url, self.body = url, body
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._open: dict | None = None  # the textarea, select or button being read
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urllib.parse.urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urllib.parse.urljoin(self.url, a.get("action") or self.url)
            self.forms.append({"action": action, "fields": [], "buttons": []})
        elif not self.forms:
            return
        elif tag == "button":
            self._open = {**a, "tag": tag, "text": ""}
            self.forms[-1]["buttons"].append(self._open)
        elif tag in ("input", "textarea", "select") and a.get("name"):
            field = {**a, "tag": tag, "text": "", "options": []}
            self.forms[-1]["fields"].append(field)
            self._open = field if tag != "input" else None
        elif tag == "option" and self._open and self._open["tag"] == "select":
            self._open["options"].append(a)

    def handle_endtag(self, tag):
        if tag in ("textarea", "select", "button"):
            self._open = None

    def handle_data(self, data):
        if self._open is not None and self._open["tag"] in ("textarea", "button"):
            self._open["text"] += data

    def form_with(self, name: str) -> dict:
        for form in self.forms:
            if any(f.get("name") == name for f in form["fields"] + form["buttons"]):
                return form
        raise AssertionError(f"no form with a field {name!r} on {self.url}")

    def button(self, text: str) -> tuple[dict, dict]:
        for form in self.forms:
            for button in form["buttons"]:
                if text in button["text"]:
                    return form, button
        raise AssertionError(f"no button {text!r} on {self.url}")

    def links_matching(self, pattern: str) -> list[str]:
        return [link for link in self.links if re.search(pattern, urllib.parse.urlsplit(link).path)]


def form_data(form: dict) -> list[tuple[str, str]]:
    """What a browser sends for a form as it stands, before the pressed button's own pair."""
    data = []
    for f in form["fields"]:
        kind = f.get("type", "text")
        if "disabled" in f or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in f:
                data.append((f["name"], f.get("value", "on")))
        elif f["tag"] == "textarea":
            data.append((f["name"], f["text"].removeprefix("\n")))
        elif f["tag"] == "select":
            chosen = [o for o in f["options"] if "selected" in o] or f["options"][:1]
            data += [(f["name"], o.get("value", "")) for o in chosen]
        else:
            data.append((f["name"], f.get("value", "")))
    return data


class Browser:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path_or_url: str, data: dict | list | None = None, *, expect: int = 200):
        url = path_or_url if "://" in path_or_url else self.base + path_or_url
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(urllib.request.Request(url, data=body), timeout=60)
            status, content, final = response.status, response.read(), response.url
            headers = response.headers
        except urllib.error.HTTPError as exc:
            status, content, final, headers = exc.code, exc.read(), url, exc.headers
        assert status == expect, f"{url}: {status}, expected {expect}\n{content[:2000]!r}"
        return final, content, headers

    def page(self, path_or_url: str, data=None, *, expect: int = 200) -> Page:
        final, content, _ = self.request(path_or_url, data, expect=expect)
        return Page(final, content.decode())

    def submit(self, page: Page, form: dict, values: dict, *, expect: int = 200) -> Page:
        """Post a form with its hidden fields (the CSRF token) plus the given values."""
        data = [
            (f["name"], f.get("value", ""))
            for f in form["fields"]
            if f.get("type") == "hidden" and f["name"] not in values
        ]
        data += list(values.items())
        return self.page(form["action"], data, expect=expect)

    def click(self, page: Page, text: str, *, expect: int = 200) -> Page:
        """Press the button labelled `text`: its form as filled in, to its formaction."""
        form, button = page.button(text)
        data = form_data(form)
        if button.get("name"):
            data.append((button["name"], button.get("value", "")))
        action = urllib.parse.urljoin(page.url, button.get("formaction") or form["action"])
        return self.page(action, data, expect=expect)

    def login(self, username: str, passwords: dict) -> Page:
        page = self.page("/accounts/login/")
        form = page.form_with("password")
        password = passwords.get(username, DEMO_PASSWORD)
        page = self.submit(page, form, {"username": username, "password": password})
        assert "/accounts/login/" not in page.url, f"login as {username} failed"
        if "password" in urllib.parse.urlsplit(page.url).path:
            page = self._change_password(page, username, password, passwords)
        return page

    def _change_password(self, page: Page, username: str, old: str, passwords: dict) -> Page:
        """A forced password change at first login: fill in whatever the form asks."""
        form = page.form_with("new_password1")
        values = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        if any(f["name"] == "old_password" for f in form["fields"]):
            values["old_password"] = old
        page = self.submit(page, form, values)
        passwords[username] = NEW_PASSWORD
        print(f"  {username}: password changed at first login")
        return page


def check(label: str) -> None:
    print(f"ok  {label}")


def secure_headers(label: str, headers) -> None:
    """The headers every response carries in production (README, "安全响应头")."""
    csp = {
        name: values
        for name, *values in (
            part.split() for part in headers.get("Content-Security-Policy", "").split(";")
        )
    }
    for directive in ("script-src", "style-src"):
        assert directive in csp, f"{label}: no {directive} in {headers}"
        for bad in ("'unsafe-inline'", "'unsafe-eval'"):
            assert bad not in csp[directive], f"{label}: {directive} allows {bad}"
    assert csp.get("object-src") == ["'none'"] and csp.get("frame-ancestors") == ["'none'"]
    assert "camera=()" in headers.get("Permissions-Policy", ""), f"{label}: {headers}"
    assert headers.get("X-Content-Type-Options") == "nosniff", f"{label}: {headers}"
    assert "gunicorn" not in headers.get("Server", "").lower(), f"{label}: {headers['Server']}"


def serve(base: str, static_root: Path, passwords_file: Path) -> None:
    passwords: dict = {}
    anonymous = Browser(base)

    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    _, content, headers = anonymous.request(f"/static/{hashed}")
    assert b".brand-mark" in content and "immutable" in headers.get("Cache-Control", "")
    secure_headers(f"/static/{hashed}", headers)
    _, content, headers = anonymous.request("/accounts/login/")
    assert f"/static/{hashed}" in content.decode()
    secure_headers("/accounts/login/", headers)
    check(f"static file by its hashed name /static/{hashed}, cached as immutable")
    _, _, headers = anonymous.request("/health/")
    secure_headers("/health/", headers)
    check("CSP without unsafe-inline/eval, Permissions-Policy, nosniff, no 'gunicorn' in Server")

    member = Browser(base)
    my_work = member.login("member", passwords)
    check("member logged in through the login form")
    my_work = member.page("/my-work/")
    vote_url = my_work.links_matching(r"^/ballots/\d+/vote/$")
    assert vote_url, "no open ballot on the member's 我的工作"
    vote = member.page(vote_url[0])
    assert "试投票" in vote.body, "the open ballot is not the demo's practice ballot"
    form = vote.form_with("step")
    choices = {
        f["name"]: "0" for f in form["fields"] if f.get("type") == "radio" and f["value"] == "0"
    }
    assert choices, "the ballot form lists no subjects"
    review = member.submit(vote, form, {**choices, "step": "review"})
    assert "确认投票" in review.body
    done = member.submit(review, review.form_with("step"), {"step": "confirm"})
    receipt = re.search(r'data-testid="receipt">([^<]+)<', done.body)
    assert "投票成功" in done.body and receipt
    again = member.page(vote_url[0])
    assert "您已投票" in again.body
    check(
        f"practice vote cast on {len(choices)} subjects (form, review, confirm): receipt {receipt[1]}"
    )

    office = Browser(base)
    office.login("office", passwords)
    check("office logged in")
    briefing = _first_briefing(office)
    page = _wait_render(office, briefing)  # the demo queued one before the worker started
    page = office.click(page, "生成 PDF")  # a draft's 保存并生成 PDF（预览）, or an issued one's
    assert "正在生成" in page.body or 'http-equiv="refresh"' in page.body, page.body[:2000]
    page = _wait_render(office, briefing)
    pdf_link = page.links_matching(r"^/briefings/\d+/pdf/$")
    assert pdf_link, "render did not finish with a PDF: " + page.body[:500]
    _, pdf, headers = office.request(pdf_link[0])
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    check(f"briefing rendered by the Celery worker and downloaded: {len(pdf)} bytes of PDF")

    _, content, _ = anonymous.request("/health/?format=json")
    health = json.loads(content)
    assert set(health.values()) == {"OK"} and "celery-worker" in health, health
    check(f"/health/ without login: {health}")

    passwords_file.write_text(json.dumps({"passwords": passwords, "briefing": briefing}))


def _first_briefing(office: Browser) -> str:
    dashboard = office.page("/office/")
    for campaign in dashboard.links_matching(r"^/campaigns/\d+/$"):
        for listing in office.page(campaign).links_matching(r"^/campaigns/\d+/briefings/$"):
            briefings = office.page(listing).links_matching(r"^/briefings/\d+/$")
            if briefings:  # a path: the restored copy answers on another port
                return urllib.parse.urlsplit(briefings[0]).path
    raise AssertionError("no briefing in the demo")


def _wait_render(office: Browser, briefing: str) -> Page:
    deadline = time.monotonic() + 180
    while True:
        page = office.page(briefing)
        if 'http-equiv="refresh"' not in page.body:  # the page refreshes while rendering
            assert 'data-testid="render-error"' not in page.body, page.body[:1000]
            return page
        assert time.monotonic() < deadline, "the briefing is still rendering after 3 minutes"
        time.sleep(1)


def restored(base: str, passwords_file: Path) -> None:
    state = json.loads(passwords_file.read_text())
    anonymous = Browser(base)
    assert "用户登录" in anonymous.page("/accounts/login/").body
    check("restored copy: login page")
    office = Browser(base)
    my_work = office.login("office", state["passwords"])
    assert "2026" in my_work.body or "述职评议" in my_work.body
    check("restored copy: office logged in, 我的工作 served")
    page = office.page(state["briefing"])
    _, pdf, _ = office.request(page.links_matching(r"^/briefings/\d+/pdf/$")[0])
    assert pdf.startswith(b"%PDF-")
    check(
        "restored copy: the briefing PDF rendered before the backup is served from restored files"
    )


if __name__ == "__main__":
    command, base, *rest = sys.argv[1:]
    if command == "serve":
        serve(base, Path(rest[0]), Path(rest[1]))
    elif command == "restored":
        restored(base, Path(rest[0]))
    else:
        raise SystemExit(__doc__)
