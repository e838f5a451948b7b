import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

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


def test_office_page_uploads_previews_then_saves_in_order(client, office):
    """The office's own page (not the admin): a file with a bad row is refused with the
    sheet's row and column and writes nothing; the fixed file is previewed, then saved."""
    client.force_login(office)
    template = client.get("/members/template.xlsx")
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = [
        HEADER,
        ["王恒明", "常委会副主任", "wanghm", "是"],
        ["赵列席", "列席人员", "bad name!", "否"],
        ["钱委员", "常委会委员", "qianwy", None],
    ]
    users_before = get_user_model().objects.count()
    refused = client.post("/members/upload/", {"file": xlsx_upload(bad)})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "上传的文件有 1 处错误，未添加任何人员" in page
    assert [(e.row, e.column) for e in refused.context["errors"]] == [(3, "登录名")]
    assert (Member.objects.count(), get_user_model().objects.count()) == (0, users_before)

    bad[2][2] = "zhaolx"
    preview = client.post("/members/upload/", {"file": xlsx_upload(bad)})
    assert preview.status_code == 200 and "确认添加 3 名人员" in preview.content.decode()
    assert Member.objects.count() == 0
    save = preview.context["save_form"]
    saved = client.post(
        "/members/paste/", {"rows": save["rows"].value(), "version": save["version"].value()}
    )
    assert saved.status_code == 200 and "zhaolx" in saved.content.decode()
    members = list(Member.objects.order_by("position"))
    assert [m.name for m in members] == ["王恒明", "赵列席", "钱委员"]
    assert [m.counts_toward_composition for m in members] == [True, False, True]


def test_office_upload_refuses_no_file_and_a_non_excel_file(client, office):
    client.force_login(office)
    missing = client.post("/members/upload/", {})
    assert missing.status_code == 400 and "请选择要上传的 Excel 文件" in missing.content.decode()
    text = SimpleUploadedFile("人员.xlsx", "王恒明,委员,wanghm".encode())
    refused = client.post("/members/upload/", {"file": text})
    assert refused.status_code == 400
    assert Member.objects.count() == 0


def test_office_upload_only_for_the_office(client, make_user):
    client.force_login(make_user(Role.LEADING_GROUP))
    assert client.get("/members/template.xlsx").status_code == 403
    upload = xlsx_upload([HEADER, ["王恒明", "常委会副主任", "wanghm", "是"]])
    assert client.post("/members/upload/", {"file": upload}).status_code == 403
    assert Member.objects.count() == 0
