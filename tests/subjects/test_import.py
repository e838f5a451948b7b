import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.errors import ApplicationError
from core.models import AuditEntry, ImportJob
from core.roles import Role, user_has_role
from core.xlsx import ImportRejected
from reviews.models import CampaignStage
from reviews.services import campaign_implementation_plan_attach, campaign_stage_move
from subjects.imports import SUBJECT_COLUMNS, subjects_import
from subjects.models import OrganType, ReviewForm, Subject
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    UnitFactory,
    pdf_upload,
    xlsx_download,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in SUBJECT_COLUMNS]
GOOD_ROWS = [
    ["金立新", "县发展和改革委员会", "主任", "2014-03-01", "现场", "财政经济工作委员会", "jinlx"],
    ["唐晓云", "县人民法院", "副院长", "2012年3月15日", "现场", "法制工作委员会", "tangxy"],
    ["胡培林", "县统计局", "局长", "2012.8", "书面", "财政经济工作委员会", ""],
]


@pytest.fixture
def campaign(office):
    UnitFactory(name="县发展和改革委员会")
    UnitFactory(name="县人民法院", organ_type=OrganType.COURT)
    UnitFactory(name="县统计局")
    LiaisonCommitteeFactory(name="财政经济工作委员会")
    LiaisonCommitteeFactory(name="法制工作委员会")
    return CampaignFactory(actor=office)


def _snapshot():
    return Subject.objects.count(), get_user_model().objects.count(), AuditEntry.objects.count()


def _reject(office, campaign, upload) -> list[str]:
    before = _snapshot()
    with pytest.raises(ImportRejected) as exc:
        subjects_import(actor=office, campaign=campaign, upload=upload)
    assert _snapshot() == before, "a rejected file must change nothing"
    assert "未导入任何数据" in exc.value.message
    return [str(e) for e in exc.value.errors]


def test_good_file_imports_every_row_with_accounts(office, campaign):
    result = subjects_import(
        actor=office, campaign=campaign, upload=xlsx_upload([HEADER, *GOOD_ROWS])
    )
    assert [s.person_name for s in result.created] == ["金立新", "唐晓云", "胡培林"]
    jin = Subject.objects.get(person_name="金立新")
    assert jin.review_form == ReviewForm.ON_SITE and jin.appointed_on.isoformat() == "2014-03-01"
    assert user_has_role(jin.user, Role.SUBJECT)
    hu = Subject.objects.get(person_name="胡培林")
    assert (
        hu.review_form == ReviewForm.WRITTEN
        and hu.user is None
        and hu.appointed_on.isoformat() == "2012-08-01"
    )
    assert {a[1] for a in result.new_accounts} == {"jinlx", "tangxy"}
    assert all(len(a[2]) == 12 for a in result.new_accounts)
    assert AuditEntry.objects.filter(action="subject.import", data__count=3).exists()


def test_not_an_excel_file(office, campaign):
    errors = _reject(office, campaign, SimpleUploadedFile("对象.xlsx", b"%PDF-1.4 not a sheet"))
    assert any("Excel" in e for e in errors)
    errors = _reject(
        office, campaign, SimpleUploadedFile("对象.xlsx", "姓名,单位\n张三,县统计局".encode())
    )
    assert any("Excel" in e for e in errors)


def test_wrong_columns_named(office, campaign):
    header = [h for h in HEADER if h != "单位"] + ["备注"]
    errors = _reject(office, campaign, xlsx_upload([header, ["张三"]]))
    assert "表头“单位”列：缺少此列，请使用导入模板" in errors
    assert "表头“备注”列：不是模板中的列" in errors


def test_every_bad_row_named(office, campaign):
    rows = [
        HEADER,
        GOOD_ROWS[0],
        ["", "县统计局", "局长", "2012-08-01", "书面", "财政经济工作委员会", ""],
        ["李四", "县不存在局", "局长", "2012-08-01", "书面", "财政经济工作委员会", ""],
        ["王五", "县统计局", "局长", "去年", "口头", "财政经济工作委员会", ""],
        [
            "金立新",
            "县发展和改革委员会",
            "主任",
            "2014-03-01",
            "现场",
            "财政经济工作委员会",
            "jinlx",
        ],
        ["赵六", "县统计局", "局长", "2012-08-01", "书面", "不存在委", "bad name!"],
    ]
    errors = _reject(office, campaign, xlsx_upload(rows))
    assert "第 3 行“姓名”列：必填，不能为空" in errors
    assert "第 4 行“单位”列：单位“县不存在局”不存在，请先在系统中添加该单位" in errors
    assert any(e.startswith("第 5 行“任现职时间”列") for e in errors)
    assert "第 5 行“评议形式”列：“口头”应填“现场”或“书面”" in errors
    assert "第 6 行“姓名”列：与第 2 行重复" in errors
    assert "第 6 行“登录名”列：与第 2 行重复" in errors
    assert "第 7 行“联系委室”列：联系委室“不存在委”不存在" in errors
    assert "第 7 行“登录名”列：只能使用字母、数字和 @.+-_" in errors
    assert not any(e.startswith("第 2 行") for e in errors)
    # Row by row, and left to right within a row, whichever check found the error.
    rows_named = [int(e.split(" ")[1]) for e in errors]
    assert rows_named == sorted(rows_named)
    assert errors.index("第 7 行“联系委室”列：联系委室“不存在委”不存在") < errors.index(
        "第 7 行“登录名”列：只能使用字母、数字和 @.+-_"
    )
    assert errors.index("第 6 行“姓名”列：与第 2 行重复") < errors.index(
        "第 6 行“登录名”列：与第 2 行重复"
    )


def test_duplicate_of_existing_subject_and_taken_username(office, campaign, member_user):
    subjects_import(actor=office, campaign=campaign, upload=xlsx_upload([HEADER, GOOD_ROWS[0]]))
    rows = [
        HEADER,
        GOOD_ROWS[0],
        [
            "蒋文博",
            "县统计局",
            "局长",
            "2013-06-20",
            "现场",
            "法制工作委员会",
            member_user.username,
        ],
    ]
    errors = _reject(office, campaign, xlsx_upload(rows))
    assert "第 2 行“姓名”列：本次活动已有该评议对象" in errors
    assert "第 3 行“登录名”列：已被其他人员使用" in errors


def test_fixed_file_then_imports_fully(office, campaign):
    bad = [
        HEADER,
        GOOD_ROWS[0],
        ["李四", "县不存在局", "局长", "2012-08-01", "书面", "财政经济工作委员会", ""],
    ]
    _reject(office, campaign, xlsx_upload(bad))
    fixed = [
        HEADER,
        GOOD_ROWS[0],
        ["李四", "县统计局", "局长", "2012-08-01", "书面", "财政经济工作委员会", ""],
    ]
    result = subjects_import(actor=office, campaign=campaign, upload=xlsx_upload(fixed))
    assert len(result.created) == 2
    assert campaign.subjects.count() == 2


def test_empty_sheet(office, campaign):
    errors = _reject(office, campaign, xlsx_upload([HEADER]))
    assert errors == ["表头：表格中没有数据行"]


def test_only_in_preparation(office, campaign):
    campaign_implementation_plan_attach(
        actor=office,
        campaign=campaign,
        document=pdf_upload(),
        approved_on=campaign.created_at.date(),
    )
    subjects_import(actor=office, campaign=campaign, upload=xlsx_upload([HEADER, GOOD_ROWS[2]]))
    campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
    with pytest.raises(ApplicationError, match="只能在准备阶段"):
        subjects_import(actor=office, campaign=campaign, upload=xlsx_upload([HEADER, GOOD_ROWS[0]]))


class TestAdminPages:
    def test_template_download_is_a_workbook_with_the_columns(self, client, office):
        client.force_login(office)
        response = client.get("/admin/subjects/subject/import/template/")
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        workbook = xlsx_download(response)
        assert workbook.sheetnames == ["评议对象", "填写说明", "下拉选项"]
        sheet, instructions, choices = workbook.worksheets
        assert choices.sheet_state == "hidden"
        assert [c.value for c in sheet[1]] == HEADER and sheet.max_row == 1
        assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 24
        red = {c.value for c in sheet[1] if c.font.color.rgb.endswith("C00000")}
        assert red == {c.header for c in SUBJECT_COLUMNS if c.required}
        notes = [r[0] for r in instructions.iter_rows(values_only=True)]
        assert notes[0].startswith("红色表头为必填列")
        assert "评议形式：必填。填“现场”或“书面”，可从下拉列表中选择。例如：现场" in notes

    def test_template_offers_dropdowns_for_units_forms_and_committees(
        self, client, office, campaign
    ):
        client.force_login(office)
        workbook = xlsx_download(client.get("/admin/subjects/subject/import/template/"))
        sheet, choices = workbook["评议对象"], workbook["下拉选项"]
        lists = {}
        for validation in sheet.data_validations.dataValidation:
            assert validation.type == "list" and validation.showErrorMessage
            column = str(validation.sqref).split(":")[0].rstrip("0123456789")
            source = validation.formula1.split("!")[1].replace("$", "").split(":")
            letter = source[0].rstrip("0123456789")
            values = [c.value for c in choices[letter] if c.value is not None]
            lists[sheet[f"{column}1"].value] = values
            assert str(validation.sqref).startswith(f"{column}2:")
        assert set(lists) == {"单位", "评议形式", "联系委室"}
        assert lists["评议形式"] == ["现场", "书面"]
        assert {"县发展和改革委员会", "县统计局"} <= set(lists["单位"])
        assert "财政经济工作委员会" in lists["联系委室"]

    def test_bad_file_lists_errors_and_changes_nothing(self, client, office, campaign):
        client.force_login(office)
        bad = [
            HEADER,
            ["李四", "县不存在局", "局长", "2012-08-01", "书面", "财政经济工作委员会", ""],
        ]
        response = client.post(
            "/admin/subjects/subject/import/", {"campaign": campaign.pk, "file": xlsx_upload(bad)}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "第 2 行" in body and "县不存在局" in body and "未导入任何数据" in body
        assert not Subject.objects.exists()

    def test_good_file_shows_new_logins_once(self, client, office, campaign):
        client.force_login(office)
        response = client.post(
            "/admin/subjects/subject/import/",
            {"campaign": campaign.pk, "file": xlsx_upload([HEADER, *GOOD_ROWS])},
            follow=True,
        )
        body = response.content.decode()
        assert "已导入 3 条记录" in body and "新开通 2 个登录账号" in body
        assert campaign.subjects.count() == 3
        job = ImportJob.objects.get()
        response = client.get(f"/admin/subjects/subject/import/{job.pk}/result/")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("姓名", "登录名", "初始密码")
        assert {r[1] for r in rows[1:]} == {"jinlx", "tangxy"}
        jin = Subject.objects.get(person_name="金立新").user
        assert jin.check_password(next(r[2] for r in rows if r[1] == "jinlx"))
