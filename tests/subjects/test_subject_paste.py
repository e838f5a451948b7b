"""Adding subjects by pasting rows copied from Excel: a preview listing every error by row
and column before anything is saved; positions follow the pasted order."""

import pytest

from core.models import AuditEntry
from core.xlsx import ImportRejected
from reviews.models import CampaignStage
from subjects.imports import subjects_paste_check, subjects_paste_create
from subjects.models import ReviewForm, Subject
from tests.factories import CampaignFactory, LiaisonCommitteeFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(office):
    UnitFactory(name="县发展和改革委员会")
    UnitFactory(name="县教育局")
    LiaisonCommitteeFactory(name="财政经济工作委员会")
    return CampaignFactory(actor=office)


GOOD = (
    "姓名\t单位\t职务\t任现职时间\t评议形式\t联系委室\t登录名\n"
    "金鑫\t县发展和改革委员会\t主任\t2014-03-01\t现场\t财政经济工作委员会\t\n"
    "李明\t县教育局\t局长\t2019年5月\t书面\t财政经济工作委员会\tliming\n"
    "王芳,县教育局,副局长,2020-01-01,现场,财政经济工作委员会,\n"
)


def test_paste_creates_in_the_given_order(office, campaign):
    result = subjects_paste_create(actor=office, campaign=campaign, text=GOOD)
    assert len(result.created) == 3
    names = list(campaign.subjects.order_by("position").values_list("person_name", flat=True))
    assert names == ["金鑫", "李明", "王芳"]
    positions = list(campaign.subjects.order_by("position").values_list("position", flat=True))
    assert positions == sorted(set(positions))  # distinct, increasing
    assert Subject.objects.get(person_name="李明").review_form == ReviewForm.WRITTEN
    assert [a[1] for a in result.new_accounts] == ["liming"]
    more = "赵六\t县发展和改革委员会\t副主任\t2021-01-01\t现场\t财政经济工作委员会\n"
    subjects_paste_create(actor=office, campaign=campaign, text=more)
    last = campaign.subjects.order_by("position").last()
    assert last.person_name == "赵六" and last.position > positions[-1]


def test_every_error_named_by_row_then_column_and_nothing_written(office, campaign):
    text = (
        "金鑫\t不存在的局\t主任\t2014-13-01\t现场\t财政经济工作委员会\n"
        "\t县教育局\t局长\t2019-05-01\t远程\t不存在的委\n"
        "王芳\t县教育局\t副局长\t2020-01-01\t现场\t财政经济工作委员会\tbad name!\n"
    )
    before = Subject.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ImportRejected) as raised:
        subjects_paste_check(actor=office, campaign=campaign, text=text)
    found = [(e.row, e.column) for e in raised.value.errors]
    assert found == [
        (1, "单位"),
        (1, "任现职时间"),
        (2, "姓名"),
        (2, "评议形式"),
        (2, "联系委室"),
        (3, "登录名"),
    ]
    with pytest.raises(ImportRejected):
        subjects_paste_create(actor=office, campaign=campaign, text=text)
    assert (Subject.objects.count(), AuditEntry.objects.count()) == before


def test_preview_then_save_over_http(client, office, campaign):
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/subjects/")
    assert page.status_code == 200 and "预览" in page.content.decode()
    preview = client.post(f"/campaigns/{campaign.pk}/subjects/preview/", {"rows": GOOD})
    body = preview.content.decode()
    assert preview.status_code == 200 and "确认添加 3 名评议对象" in body
    assert Subject.objects.count() == 0  # the preview writes nothing
    version = preview.context["save_form"]["version"].value()
    saved = client.post(
        f"/campaigns/{campaign.pk}/subjects/paste/", {"rows": GOOD, "version": version}
    )
    assert saved.status_code == 200 and "liming" in saved.content.decode()  # its password, once
    assert campaign.subjects.count() == 3
    # The same preview sent again is stale: the subjects changed since it was drawn.
    again = client.post(
        f"/campaigns/{campaign.pk}/subjects/paste/", {"rows": GOOD, "version": version}, follow=True
    )
    assert "已被他人修改" in again.content.decode() and campaign.subjects.count() == 3


def test_preview_lists_errors_over_http(client, office, campaign):
    client.force_login(office)
    response = client.post(
        f"/campaigns/{campaign.pk}/subjects/preview/",
        {"rows": "金鑫\t县教育局\n李明\t县教育局\t局长\t2019-05-01\t现场\t财政经济工作委员会"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "第 1 行" in body and "职务" in body and "确认添加" not in body
    assert Subject.objects.count() == 0


def test_paste_only_in_preparation_and_only_for_the_office(client, office, campaign, make_user):
    from core.roles import Role

    client.force_login(make_user(Role.LEADING_GROUP))
    assert (
        client.post(f"/campaigns/{campaign.pk}/subjects/preview/", {"rows": GOOD}).status_code
        == 403
    )
    later = CampaignFactory(actor=office, stage=CampaignStage.PRELIMINARY, name="已开始的活动")
    with pytest.raises(Exception, match="只能在准备阶段"):
        subjects_paste_check(actor=office, campaign=later, text=GOOD)
