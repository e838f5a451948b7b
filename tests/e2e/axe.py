"""axe-core (WCAG 2.1 AA) on every page a browser journey visits, at desktop and phone width.

Every page a journey opens is watched: when one of its documents has loaded, the same URL
is opened in a second page of the same browser context (the same login), axe-core is run
there at 1,366 px and at 390 px, and a screenshot of each width is saved under
var/artifacts/screenshots/. The journey's own page is never resized or touched, so the
check cannot change what the journey does. Each page kind is checked once per test run
(the path with its numbers replaced), and 我的工作 once for each role, which it is drawn
for; a page of a kind already checked is not re-opened at all. When the suite runs in
parallel worker processes, they share what was checked through a file (`use_shared`), so
that the run still checks each kind once. Serious and critical violations fail the test
that visited the page, at its end, with the rule, the element and axe's explanation.

axe is the npm build vendored in static/vendor/axe-core/, evaluated through the DevTools
protocol, which the pages' Content-Security-Policy does not govern (a script tag would be
refused, as it should be)."""

from __future__ import annotations

import fcntl
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "screenshots"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
# Pages that are not pages (downloads, PDFs, the JSON a screen polls) are skipped. The
# Django admin is checked like every other page a journey visits (its breadcrumbs are
# underlined and its list_editable boxes named, templates/admin/base_site.html).
SKIP = re.compile(r"\.(pdf|xlsx|zip|json)$|/(download|pdf|screen\.json)/?$")

RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

# Checked for the whole test run: each page kind once.
_checked: set[tuple[str, str]] = set()
# The file the parallel workers of one run share it through (None: one process).
_shared: Path | None = None


def use_shared(path: Path) -> None:
    global _shared
    _shared = path


def _claimed() -> set[tuple[str, str]]:
    """The keys checked in this run so far, by this process or, when shared, any other."""
    if _shared is None or not _shared.exists():
        return _checked
    return {tuple(json.loads(line)) for line in _shared.read_text("utf-8").splitlines()}


def _claim(key: tuple[str, str]) -> bool:
    """Take the key for this process to check; False when it has been taken already."""
    if _shared is None:
        if key in _checked:
            return False
        _checked.add(key)
        return True
    with _shared.open("a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes
        file.seek(0)
        if any(tuple(json.loads(line)) == key for line in file.read().splitlines()):
            return False
        file.write(json.dumps(list(key), ensure_ascii=False) + "\n")
        return True


def page_kind(url: str) -> str:
    path = urlsplit(url).path
    return re.sub(r"/\d+(?=/|$)", "/<n>", re.sub(r"/[0-9a-f]{16,}(?=/|$)", "/<token>", path))


@dataclass
class AxeAudit:
    """One test's watcher: the violations and failures it found, and what it checked."""

    test_name: str
    violations: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    running: int = 0
    closed: bool = False
    _source: str | None = None
    # BrowserContext.new_page as Playwright has it: the checker's own page is not watched.
    open_page: object = None

    def watch(self, page) -> None:
        page.on("load", lambda p: self._on_load(p))

    def _on_load(self, page) -> None:
        if self.closed or page.is_closed():
            return
        url = page.url
        if not url.startswith("http") or SKIP.search(urlsplit(url).path):
            return
        # A page of a kind that is checked already need not be re-opened (我的工作's key
        # needs the role the re-opened page shows).
        kind = page_kind(url)
        if kind != "/my-work/" and (kind, "") in _claimed():
            return
        self.running += 1
        try:
            self._check(page.context, url)
        except Exception as exc:  # the journey closed its context or browser meanwhile
            if not any(w in str(exc).lower() for w in ("closed", "detached")):
                self.violations.append(f"{url}: axe 检查未能完成：{exc}")
        finally:
            self.running -= 1

    def _check(self, context, url: str) -> None:
        checker = self.open_page(context)
        try:
            width, height = WIDTHS["desktop"]
            checker.set_viewport_size({"width": width, "height": height})
            try:
                checker.goto(url, wait_until="load")
            except Exception as exc:
                # The answer to a POST (a preview) has no GET of its own: nothing to re-open.
                if "ERR_HTTP_RESPONSE_CODE_FAILURE" in str(exc):
                    return
                raise
            who = checker.locator("[data-testid=who]")
            roles = who.first.inner_text() if who.count() else "anonymous"
            roles = re.sub(r"^[^（]*", "", roles) or roles
            kind = page_kind(checker.url)
            # 我的工作 is drawn differently for each role; any other page once.
            key = (kind, roles if kind == "/my-work/" else "")
            if not _claim(key):
                return
            self.checked.append(f"{key[0]} {roles}")
            if self._source is None:
                self._source = AXE_JS.read_text(encoding="utf-8")
            checker.evaluate(self._source)
            name = re.sub(r"[^\w.-]+", "_", f"{key[0].strip('/') or 'home'}_{roles}")[:120]
            folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", self.test_name)[:100]
            folder.mkdir(parents=True, exist_ok=True)
            for width_name, (width, height) in WIDTHS.items():
                checker.set_viewport_size({"width": width, "height": height})
                checker.screenshot(path=str(folder / f"{name}-{width_name}.png"), full_page=True)
                for v in checker.evaluate(RUN, TAGS):
                    if v["impact"] not in FAILING:
                        continue
                    nodes = "；".join(f"{n['target']}（{n['summary']}）" for n in v["nodes"][:5])
                    self.violations.append(
                        f"{key[0]} [{roles}] {width}px {v['impact']} {v['id']}: {v['help']} — "
                        f"{len(v['nodes'])} 处：{nodes}"
                    )
        finally:
            checker.close()

    def wait(self, page) -> None:
        """Let the checks still running finish (a sync call runs the event loop)."""
        for _ in range(600):
            if not self.running:
                return
            try:
                page.wait_for_timeout(100)
            except Exception:
                return
