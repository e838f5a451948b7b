"""我的工作 as every demo login: what each one owes is listed with a link, and no link the
interface shows them (on 我的工作 and one page further) leads to a 403, a 404 or an error;
every page they reach carries the Content-Security-Policy and Permissions-Policy headers."""

import datetime
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve

from tests.headers import assert_secure_headers
from workbench.demo import demo_load

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)  # county campaign in 整改, second batch in 初评
NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
LOGINS = [
    "office",
    "leader",
    "director",
    "member",
    "subject",
    "liaison",
    *(f"s{i:02d}" for i in range(1, 13)),
    "b02",
    "b03",
    "b04",
    "m02",
    "m03",
    "m05",
    "m13",
    "m99",
]
# Not pages: leaving, static files, anchors.
SKIP = re.compile(r"^(/accounts/logout/|/static/|#|mailto:|javascript:)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links_of(url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        if SKIP.match(href):
            continue
        absolute = urljoin(url, href)
        parts = urlsplit(absolute)
        if parts.netloc not in ("", "testserver"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def login_user(username: str):
    """The demo login (force_login: django-axes wants a request for a password login)."""
    return get_user_model().objects.get(username=username)


def fetch(client: Client, url: str):
    response = client.get(url, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    return response, final


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        demo_load(today=TODAY)
        yield


def crawl(username: str) -> tuple[int, list[str]]:
    """Fetch every link of 我的工作, every link of those pages, and the links of up to
    three pages of each kind found there (a subject's page, a group's …)."""
    client = Client()
    client.force_login(login_user(username))
    queue = deque([("/my-work/", 0, "")])
    seen = {"/my-work/"}
    expanded: Counter = Counter()
    problems, fetched = [], 0
    while queue:
        url, depth, source = queue.popleft()
        response, final = fetch(client, url)
        fetched += 1
        if response.status_code != 200 or final.startswith("/accounts/login/"):
            problems.append(f"{username}: {url} (from {source}) → {response.status_code} {final}")
            continue
        assert_secure_headers(response)
        if depth == 3 or "text/html" not in response.get("Content-Type", ""):
            continue
        if depth == 2:
            if final.startswith("/admin/"):
                continue  # Django's admin links its own pages consistently
            kind = resolve(urlsplit(final).path).view_name
            expanded[kind] += 1
            if expanded[kind] > 3:
                continue
        for link in links_of(final, response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, depth + 1, url))
    return fetched, problems


def test_every_link_from_my_work_opens_for_every_demo_login(demo):
    problems, fetched = [], 0
    for username in LOGINS:
        n, found = crawl(username)
        fetched += n
        problems += found
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)
    assert fetched > 300, fetched


def _items(client: Client) -> str:
    return client.get("/my-work/").content.decode()


def test_each_role_sees_what_it_owes_named_dated_and_linked(demo, django_assert_max_num_queries):
    client = Client()

    client.force_login(login_user("s08"))
    page = _items(client)
    assert "重新报送整改方案（已退回）" in page
    assert "整改措施不够具体" in page  # the return reason
    assert "2026年11月8日" in page and "已逾期 18 天" in page
    assert "/rectification/" in page

    client.force_login(login_user("s12"))
    assert "报送整改方案" in _items(client)

    client.force_login(login_user("b04"))  # returned duty report
    page = _items(client)
    assert "（已退回）" in page and "请补充接受人大监督" in page

    client.force_login(login_user("liaison"))
    page = _items(client)
    assert "审核整改方案" in page and "金立新" in page
    assert "督促重新报送被退回的整改方案" in page and "胡培林" in page

    client.force_login(login_user("member"))
    page = _items(client)
    assert "参加投票" in page and "试投票" in page
    assert "撰写调查报告" in page and "周文华" in page
    assert "征求意见" in page
    assert "测评结果已公布" in page and "核对回执" in page

    client.force_login(login_user("director"))
    page = _items(client)
    assert "听取调查报告" in page

    client.force_login(login_user("office"))
    page = _items(client)
    assert "整改阶段" in page and "胡培林的整改方案已退回，逾期未重新报送" in page
    assert "进入下一阶段前还需完成" in page

    # Results published since the last visit: still news while the visit goes on (the
    # person follows a link and comes back), not at the next visit.
    client.force_login(login_user("m05"))
    assert "测评结果已公布" in _items(client)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        assert "测评结果已公布" in _items(client)
    with time_machine.travel(NOW + datetime.timedelta(hours=6), tick=False):
        assert "测评结果已公布" not in _items(client)

    # Query counts stay flat: each role's page is read in a fixed number of queries.
    for username, limit in (("office", 40), ("member", 30), ("liaison", 25), ("s08", 30)):
        client.force_login(login_user(username))
        with django_assert_max_num_queries(limit):
            client.get("/my-work/")
