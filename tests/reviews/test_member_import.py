import pytest
from django.contrib.auth import get_user_model

from core.models import AuditEntry
from core.roles import Role, user_has_role
from core.xlsx import ImportRejected
from reviews.imports import MEMBER_COLUMNS, members_import
from reviews.models import Member
from tests.factories import MemberFactory, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in MEMBER_COLUMNS]


def test_good_file_imports_members_with_logins(office):
    rows = [
        HEADER,
        ["王恒明", "常委会副主任", "wanghm", "是"],
        ["赵列席", "列席人员", "zhaolx", "否"],
        ["钱委员", "常委会委员", "qianwy", None],
    ]
    result = members_import(actor=office, upload=xlsx_upload(rows))
    assert len(result.created) == 3
    assert Member.objects.get(name="赵列席").counts_toward_composition is False
    assert Member.objects.get(name="钱委员").counts_toward_composition is True
    assert user_has_role(Member.objects.get(name="王恒明").user, Role.MEMBER)
    assert AuditEntry.objects.filter(action="member.import").exists()


def test_bad_file_changes_nothing_and_names_rows(office):
    MemberFactory(name="孙在任", user__username="sunzr")
    rows = [
        HEADER,
        ["王恒明", "常委会副主任", "wanghm", "是"],
        ["王恒明", "常委会委员", "wanghm", "是"],
        ["孙在任", "常委会委员", "sunzr", "也许"],
        ["", "常委会委员", "empty", "是"],
    ]
    users_before = get_user_model().objects.count()
    with pytest.raises(ImportRejected) as exc:
        members_import(actor=office, upload=xlsx_upload(rows))
    errors = [str(e) for e in exc.value.errors]
    assert "第 3 行“姓名”列：与第 2 行重复" in errors
    assert "第 3 行“登录名”列：与第 2 行重复" in errors
    assert "第 4 行“计入组成人员”列：“也许”应填“是”或“否”" in errors
    assert "第 4 行“姓名”列：已是在任的常委会组成人员" in errors
    assert "第 4 行“登录名”列：登录名“sunzr”已被占用" in errors
    assert "第 5 行“姓名”列：必填，不能为空" in errors
    assert Member.objects.count() == 1
    assert get_user_model().objects.count() == users_before


def test_admin_import_page(client, office):
    client.force_login(office)
    response = client.get("/admin/reviews/member/import/")
    assert response.status_code == 200 and "下载导入模板" in response.content.decode()
    response = client.post(
        "/admin/reviews/member/import/",
        {"file": xlsx_upload([HEADER, ["王恒明", "常委会副主任", "wanghm", "是"]])},
        follow=True,
    )
    body = response.content.decode()
    assert "已导入 1 条记录" in body and "下载初始密码名单" in body
