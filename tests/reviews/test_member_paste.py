"""Adding committee members by pasting rows: preview with every error by row and column,
nothing written on a refusal, positions in the pasted order, each a new login."""

import pytest

from core.models import AuditEntry
from core.roles import Role
from core.xlsx import ImportRejected
from reviews.imports import members_paste_check, members_paste_create
from reviews.models import Member

pytestmark = pytest.mark.django_db

GOOD = (
    "姓名\t职务\t登录名\t计入组成人员\n王恒亮\t常委会副主任\twanghl\t是\n李列席,列席人员,lilx,否\n"
)


def test_paste_creates_members_in_order_with_logins(office):
    result = members_paste_create(actor=office, text=GOOD)
    assert [m.name for m in Member.objects.order_by("position")] == ["王恒亮", "李列席"]
    assert not Member.objects.get(name="李列席").counts_toward_composition
    assert sorted(a[1] for a in result.new_accounts) == ["lilx", "wanghl"]


def test_errors_by_row_then_column_and_nothing_written(office, make_user):
    make_user(Role.MEMBER, username="taken")
    text = "王恒亮\t\ttaken\t也许\n\t委员\tbad name!\n王恒亮\t委员\tok1\n"
    before = Member.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ImportRejected) as raised:
        members_paste_check(actor=office, text=text)
    assert [(e.row, e.column) for e in raised.value.errors] == [
        (1, "职务"),
        (1, "登录名"),
        (1, "计入组成人员"),
        (2, "姓名"),
        (2, "登录名"),
        (3, "姓名"),
    ]
    with pytest.raises(ImportRejected):
        members_paste_create(actor=office, text=text)
    assert (Member.objects.count(), AuditEntry.objects.count()) == before


def test_preview_and_save_over_http(client, office):
    client.force_login(office)
    assert client.get("/members/").status_code == 200
    preview = client.post("/members/preview/", {"rows": GOOD})
    assert preview.status_code == 200 and "确认添加 2 名人员" in preview.content.decode()
    assert Member.objects.count() == 0
    version = preview.context["save_form"]["version"].value()
    saved = client.post("/members/paste/", {"rows": GOOD, "version": version})
    assert saved.status_code == 200 and "wanghl" in saved.content.decode()
    assert Member.objects.count() == 2
    refused = client.post("/members/preview/", {"rows": "王恒亮"})
    assert refused.status_code == 400 and "第 1 行" in refused.content.decode()


def test_members_page_only_for_the_office(client, make_user):
    client.force_login(make_user(Role.LEADING_GROUP))
    assert client.get("/members/").status_code == 403
    assert client.post("/members/preview/", {"rows": GOOD}).status_code == 403
