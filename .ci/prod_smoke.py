"""The requests of .ci/prod-smoke, as a browser would send them: forms with their CSRF
token, cookies kept per user, links followed from the pages rather than URLs guessed.

    prod_smoke.py serve URL STATIC_ROOT STATE DEMO_LOG NAME=LOG...
        URL is nginx in front of the gunicorn instances named NAME, each writing its request
        log to LOG. Security headers, static file, logins, a practice vote, a duty report
        uploaded and downloaded, the login lockout and the questionnaire-code throttle
        counted across instances, a briefing PDF through the worker, /health/; and which
        instance answered each request, read from the instances' own request logs.
    prod_smoke.py restored URL STATE      the restored copy serves the same data and files

Standard library only, so it runs with any Python.
"""

import html
import html.parser
import http.cookiejar
import itertools
import json
import os
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ballots.elgamal.sheet import canonical_json, sheet_encrypt  # noqa: E402  (no Django)

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


class Instances:
    """Which application server answered, told by the servers themselves: each gunicorn
    instance writes its own request log, one core.request line per request (static files
    are not logged), before the response leaves it. After each request the new lines say
    whose it was; nothing is added to the responses for this."""

    def __init__(self, logs: dict[str, Path]):
        self.logs = logs
        self.offsets = {name: path.stat().st_size for name, path in logs.items()}
        self.trail: list[str] = []  # instance of each logged request, in order

    def note(self) -> list[tuple[str, str]]:
        """(instance, "METHOD path") of the requests answered since the last call, in order."""
        answered = []
        for name, path in self.logs.items():
            with open(path, "rb") as log:
                log.seek(self.offsets[name])
                new = log.read()
            complete = new[: new.rfind(b"\n") + 1]
            self.offsets[name] += len(complete)
            for line in complete.decode().splitlines():
                if '"logger": "core.request"' in line:
                    record = json.loads(line)
                    answered.append((record["time"], name, f"{record['method']} {record['path']}"))
        answered.sort()  # a redirect followed makes two requests, perhaps one on each
        self.trail += [name for _, name, _ in answered]
        return [(name, request) for _, name, request in answered]

    def since(self, mark: int) -> list[str]:
        return self.trail[mark:]


NOBODY = Instances({})


def spread(label: str, instances: Instances, mark: int) -> None:
    """The requests since `mark` were answered by every instance, and consecutive ones
    mostly by different instances (round robin)."""
    trail = instances.since(mark)
    if not instances.logs:
        return
    assert set(trail) == set(instances.logs), f"{label}: served only by {set(trail)}: {trail}"
    switches = sum(a != b for a, b in itertools.pairwise(trail))
    print(f"    {label}: {len(trail)} requests, {switches} switches: {' '.join(trail)}")


class Browser:
    def __init__(self, base: str, instances: Instances = NOBODY, forwarded_for: str = ""):
        self.base = base.rstrip("/")
        self.instances = instances
        # The smoke's client runs on the proxy's own host; an address of its own, sent as
        # a front proxy would, stands for one visitor (nginx appends 127.0.0.1 after it).
        self.forwarded_for = forwarded_for
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.served_by: list[tuple[str, str]] = []  # (instance, request) of the last request

    def request(
        self,
        path_or_url: str,
        data: dict | list | bytes | None = None,
        *,
        expect: int = 200,
        content_type: str = "",
        headers: dict | None = None,
    ):
        url = path_or_url if "://" in path_or_url else self.base + path_or_url
        body = data if isinstance(data, bytes) else None
        if data is not None and body is None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body)
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if self.forwarded_for:
            request.add_header("X-Forwarded-For", self.forwarded_for)
        try:
            response = self.opener.open(request, timeout=60)
            status, content, final = response.status, response.read(), response.url
            headers = response.headers
        except urllib.error.HTTPError as exc:
            status, content, final, headers = exc.code, exc.read(), url, exc.headers
        self.served_by = self.instances.note()
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

    def upload(self, page: Page, form: dict, values: dict, file: tuple[str, str, bytes]) -> Page:
        """Post a multipart form: hidden fields, the given values and one file."""
        boundary = "----smoke" + secrets.token_hex(12)
        fields = [
            (f["name"], f.get("value", ""))
            for f in form["fields"]
            if f.get("type") == "hidden" and f["name"] not in values
        ] + list(values.items())
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields
        ]
        name, filename, content = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
            f"\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        final, content, _ = self.request(
            form["action"], body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return Page(final, content.decode())

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


def serve(base: str, static_root: Path, passwords_file: Path, demo_log: Path, logs: dict) -> None:
    passwords: dict = {}
    servers = Instances(logs)
    anonymous = Browser(base, servers)

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

    mark = len(servers.trail)
    member = Browser(base, servers)
    my_work = member.login("member", passwords)
    check("member logged in through the login form")
    my_work = member.page("/my-work/")
    vote_url = my_work.links_matching(r"^/ballots/\d+/vote/$")
    assert vote_url, "no open ballot on the member's 我的工作"
    vote = member.page(vote_url[0])
    assert "试投票" in vote.body, "the open ballot is not the demo's practice ballot"
    # The page encrypts and proves the choices in the browser (static/js/ballot_cast.js);
    # this client does the same with the project's own library, from the page's data.
    config = re.search(
        r'<script id="ballot-crypto" type="application/json">(.*?)</script>', vote.body
    )
    assert config, "the voting page carries no joint key"
    crypto = json.loads(html.unescape(config[1]))
    sheet = sheet_encrypt(
        joint_key=bytes.fromhex(crypto["joint_key"]),
        ballot_id=crypto["ballot_id"],
        layout=crypto["layout"],
        choices=[0] * len(crypto["layout"]),
    )
    done = member.submit(
        vote, vote.form_with("sheet"), {"step": "confirm", "sheet": canonical_json(sheet)}
    )
    receipt = re.search(r'data-testid="receipt">([^<]+)<', done.body)
    assert "投票成功" in done.body and receipt, done.body[-1500:]
    again = member.page(vote_url[0])
    assert "您已投票" in again.body
    check(
        f"practice vote encrypted and proved on {len(crypto['layout'])} subjects, verified by the "
        f"server: receipt {receipt[1]}"
    )
    spread("login and vote", servers, mark)

    office = Browser(base, servers)
    office.login("office", passwords)
    check("office logged in")
    duty_report(base, servers, office, passwords)
    login_lockout(base, servers, passwords)
    code_throttle(base, servers, demo_log)

    mark = len(servers.trail)
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
    spread("briefing", servers, mark)

    _, content, _ = anonymous.request("/health/?format=json")
    health = json.loads(content)
    assert set(health.values()) == {"OK"} and "celery-worker" in health, health
    check(f"/health/ without login: {health}")

    passwords_file.write_text(json.dumps({"passwords": passwords, "briefing": briefing}))
    trail = servers.trail
    if logs:
        switches = sum(a != b for a, b in itertools.pairwise(trail))
        counts = ", ".join(f"{name} {trail.count(name)}" for name in logs)
        print(f"    all: {len(trail)} logged requests ({counts}), {switches} switches")
        # Round robin: but for redirects (two requests in one note) the instances alternate.
        assert switches >= len(trail) // 2, trail


def duty_report(base: str, servers: Instances, office: "Browser", passwords: dict) -> None:
    """The subject uploads on one instance; the office downloads the file on the other."""
    mark = len(servers.trail)
    subject = Browser(base, servers)
    my_work = subject.login("subject", passwords)
    links = my_work.links_matching(r"^/subjects/\d+/$") or subject.page("/my-work/").links_matching(
        r"^/subjects/\d+/$"
    )
    assert links, "no subject page on the subject's 我的工作"
    page = subject.page(links[0])
    form = page.form_with("file")
    marker = secrets.token_hex(8).encode()
    content = b"%PDF-1.4\n% smoke " + marker + b"\n" + b"0" * 2000 + b"\ntrailer\n%%EOF\n"
    before = set(page.links_matching(r"^/reports/[0-9a-f-]+/download/$"))
    page = subject.upload(page, form, {"kind": "draft"}, ("file", "smoke-report.pdf", content))
    uploaded_on = [name for name, request in subject.served_by if request.startswith("POST")]
    assert "已上传述职报告" in page.body, page.body[:2000]
    new = set(page.links_matching(r"^/reports/[0-9a-f-]+/download/$")) - before
    assert len(new) == 1, f"no new version to download: {new}"
    download = new.pop()
    for _ in range(2):  # round robin: at most one extra request to reach the other instance
        _, got, _ = office.request(download)
        downloaded_on = [name for name, _ in office.served_by]
        if not servers.logs or downloaded_on != uploaded_on:
            break
    assert got == content, "the downloaded report differs from the uploaded one"
    check(
        f"duty report uploaded by the subject (on {uploaded_on}) and downloaded by the office"
        f" (on {downloaded_on}): {len(content)} bytes, the same"
    )
    spread("upload and download", servers, mark)


def login_lockout(base: str, servers: Instances, passwords: dict) -> None:
    """LOGIN_FAILURE_LIMIT wrong passwords for one login from one visitor, posted to the
    instances in turn, lock that login for that visitor, and only for that visitor."""
    limit = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
    username = "leader"
    mark = len(servers.trail)
    guesser = Browser(base, servers, forwarded_for="203.0.113.5")
    page = guesser.page("/accounts/login/")
    form = page.form_with("password")
    on = []
    for attempt in range(1, limit + 1):
        # Refused with the form again; the last failure is answered with the lockout page.
        wrong = {"username": username, "password": f"wrong-{attempt}"}
        guesser.submit(page, form, wrong, expect=200 if attempt < limit else 429)
        on += [name for name, _ in guesser.served_by]
    if servers.logs:
        assert set(on) == set(servers.logs), f"failures all on {set(on)}"
    right = {"username": username, "password": passwords.get(username, DEMO_PASSWORD)}
    locked = guesser.submit(page, form, right, expect=429)
    assert "锁定" in locked.body or "稍后" in locked.body, locked.body[:1000]
    check(
        f"{limit} wrong passwords for {username!r} from one visitor, posted to {' '.join(on)},"
        " lock the login: the right password is refused (429)"
    )
    other = Browser(base, servers, forwarded_for="203.0.113.6")
    other.login(username, passwords)
    check(f"{username!r} still logs in from another visitor's address (nginx's is not counted)")
    spread("login lockout", servers, mark)


def _answers(page: Page, form: dict, code: str) -> dict:
    """Every question answered (the first choice, or a short text) and the code."""
    values: dict = {}
    for f in form["fields"]:
        name, kind = f["name"], f.get("type", "text")
        if kind == "hidden" or name in values:
            continue
        if kind == "radio":
            values[name] = f.get("value", "")
        elif f["tag"] == "select":
            options = [o.get("value", "") for o in f["options"] if o.get("value")]
            values[name] = options[0] if options else ""
        elif kind in ("text", "textarea") or f["tag"] == "textarea":
            values[name] = "无"
    values["code"] = code
    return values


def code_throttle(base: str, servers: Instances, demo_log: Path) -> None:
    """Wrong questionnaire codes from one visitor, posted to the instances in turn, count
    together: at the limit even a right code is refused; another visitor is not."""
    found = re.search(r"(/q/[^/\s]+/)\s+可用答题码：(\S+)", demo_log.read_text())
    assert found, "load_demo printed no open questionnaire with codes"
    path, codes = found[1], found[2].split("、")
    limit = int(os.environ.get("QUESTIONNAIRE_CODE_FAILURE_LIMIT", "10"))
    mark = len(servers.trail)
    guesser = Browser(base, servers, forwarded_for="203.0.113.7")
    page = guesser.page(path)
    form = page.form_with("code")
    on = []
    for attempt in range(limit):
        values = _answers(page, form, f"WRONG{attempt:03d}")
        refused = guesser.submit(page, form, values, expect=400)
        assert "答题码不正确" in refused.body, refused.body[:2000]
        on += [name for name, _ in guesser.served_by]
    if servers.logs:
        assert set(on) == set(servers.logs), f"wrong codes all on {set(on)}"
    blocked = guesser.submit(page, form, _answers(page, form, codes[0]), expect=429)
    assert "输错次数过多" in blocked.body, blocked.body[:2000]
    check(
        f"{limit} wrong questionnaire codes from one visitor, posted to {' '.join(on)}:"
        " a right code is then refused (429)"
    )
    other = Browser(base, servers, forwarded_for="203.0.113.8")
    page = other.page(path)
    done = other.submit(
        page, page.form_with("code"), _answers(page, page.form_with("code"), codes[0])
    )
    assert "/done" in done.url or "谢谢" in done.body, done.url + done.body[:1000]
    check("another visitor answers with that code (the questionnaire's sealing key is shared)")
    spread("questionnaire throttle", servers, mark)


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
        if "data-reload-after" not in page.body:  # the page reloads itself while rendering
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
        logs = dict(arg.split("=", 1) for arg in rest[3:])
        serve(
            base, Path(rest[0]), Path(rest[1]), Path(rest[2]), {k: Path(v) for k, v in logs.items()}
        )
    elif command == "restored":
        restored(base, Path(rest[0]))
    else:
        raise SystemExit(__doc__)
