import datetime

import pytest

from core.roles import Role
from core.xlsx_writer import CN_DATE_FORMAT
from rectification.models import (
    OpinionStatus,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    ReviewOpinion,
)
from rectification.selectors import rectification_edit_version, rectification_plan_due
from rectification.services import (
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
)
from surveys.models import FindingKind
from surveys.services import finding_add
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    make_group,
    pdf_upload,
    xlsx_download,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(office):
    campaign = CampaignFactory(actor=office)
    finance, law = (
        LiaisonCommitteeFactory(name="财政经济工作委员会"),
        LiaisonCommitteeFactory(name="法制工作委员会"),
    )
    fin_staff, law_staff = UserFactory(role=Role.LIAISON), UserFactory(role=Role.LIAISON)
    finance.users.add(fin_staff)
    law.users.add(law_staff)
    mine = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=finance)
    theirs = SubjectFactory(campaign=campaign, person_name="唐晓云", liaison_committee=law)
    group = make_group(campaign, name="第一组", subjects=[mine, theirs], actor=office)
    item = campaign.content_items.first()
    for subject in (mine, theirs):
        finding_add(
            actor=group.leader,
            subject=subject,
            content_item=item,
            kind=FindingKind.PROBLEM,
            text=f"{subject.person_name}的问题",
        )
        opinion = review_opinion_draft(actor=office, subject=subject)
        review_opinion_approve(actor=office, opinion=opinion, approved_on=datetime.date.today())
        review_opinion_deliver(actor=office, opinion=opinion, delivered_on=datetime.date.today())
    return campaign, mine, theirs, fin_staff, law_staff


def _plan_post(subject):
    problem = subject.opinion.problems.get()
    return {
        f"measures_{problem.pk}": "推行并联审批",
        f"responsible_{problem.pk}": "金立新",
        f"time_limit_{problem.pk}": "2018-03-01",
        f"target_{problem.pk}": "办理时限压缩一半",
        "version": rectification_edit_version(subject),
    }


def test_liaison_sees_and_acts_only_on_its_own_subjects(client, delivered):
    campaign, mine, theirs, fin_staff, law_staff = delivered
    client.force_login(mine.user)
    client.post(f"/subjects/{mine.pk}/rectification/plan/move/submitted/", _plan_post(mine))
    client.force_login(law_staff)
    listing = client.get("/liaison/").content.decode()
    assert "唐晓云" in listing and "金立新" not in listing
    assert client.get(f"/subjects/{mine.pk}/rectification/").status_code == 404
    assert client.post(f"/subjects/{mine.pk}/rectification/plan/move/approved/").status_code == 404
    assert client.get(f"/subjects/{mine.pk}/ledger.xlsx").status_code == 404
    assert client.get(f"/subjects/{mine.pk}/opinion/").status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/rectification/").status_code == 403
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.SUBMITTED
    client.force_login(fin_staff)
    page = client.get(f"/subjects/{mine.pk}/rectification/").content.decode()
    assert "审核整改方案" in page
    client.post(f"/subjects/{mine.pk}/rectification/plan/move/approved/")
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.APPROVED


def test_subject_cannot_reach_another_subjects_rectification(client, delivered):
    campaign, mine, theirs, *_ = delivered
    client.force_login(mine.user)
    assert client.get(f"/subjects/{theirs.pk}/rectification/").status_code == 404
    assert (
        client.post(
            f"/subjects/{theirs.pk}/rectification/plan/move/submitted/", _plan_post(theirs)
        ).status_code
        == 404
    )
    assert client.get(f"/subjects/{theirs.pk}/ledger.xlsx").status_code == 404


def test_plan_missing_row_refused_over_http(client, delivered):
    campaign, mine, *_ = delivered
    client.force_login(mine.user)
    # The page's form sent with its one row left empty.
    blank = {k: (v if k == "version" else "") for k, v in _plan_post(mine).items()}
    response = client.post(f"/subjects/{mine.pk}/rectification/plan/move/submitted/", blank)
    assert response.status_code == 400
    assert (
        "以下问题还没有整改措施" in response.content.decode()
        and "金立新的问题" in response.content.decode()
    )
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.DRAFT


def test_overdue_derived_from_dates_everywhere(client, delivered, office):
    import time_machine

    campaign, mine, theirs, fin_staff, _ = delivered
    mine = type(mine).objects.get(pk=mine.pk)
    after = rectification_plan_due(mine) + datetime.timedelta(days=1)
    with time_machine.travel(
        datetime.datetime.combine(after, datetime.time(10)).astimezone(datetime.UTC)
    ):
        client.force_login(office)
        assert (
            "逾期未报送" in client.get(f"/campaigns/{campaign.pk}/rectification/").content.decode()
        )
        client.force_login(fin_staff)
        assert "逾期未报送" in client.get("/liaison/").content.decode()
        client.force_login(mine.user)
        assert "逾期未报送" in client.get(f"/subjects/{mine.pk}/rectification/").content.decode()


def test_ledger_export_one_row_per_problem(
    client, delivered, office, django_assert_max_num_queries
):
    campaign, mine, theirs, *_ = delivered
    client.force_login(mine.user)
    client.post(f"/subjects/{mine.pk}/rectification/plan/", _plan_post(mine))
    client.force_login(office)
    with django_assert_max_num_queries(12):  # a fixed number, however many subjects
        response = client.get(f"/campaigns/{campaign.pk}/ledger.xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = xlsx_download(response).worksheets[0]
    assert sheet.title == "整改台账" and sheet["A1"].value == f"{campaign.name}整改台账"
    assert [c.value for c in sheet[2]] == [
        "序号",
        "评议对象",
        "单位及职务",
        "问题",
        "类别",
        "来源",
        "整改措施",
        "责任人",
        "完成时限",
        "整改目标",
        "完成情况",
        "佐证材料",
    ]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert [r[:2] for r in rows] == [[1, "金立新"], [2, "唐晓云"]]
    assert rows[0][2] == f"{mine.unit.name}{mine.post}"
    assert rows[0][3] == "金立新的问题" and rows[0][6] == "推行并联审批" and rows[0][7] == "金立新"
    assert rows[0][4] == campaign.content_items.first().title
    assert (
        rows[0][8] == datetime.datetime(2018, 3, 1) and sheet["I3"].number_format == CN_DATE_FORMAT
    )
    assert rows[0][9] == "办理时限压缩一半" and rows[0][10] == "未报送"
    assert rows[1][6] in (None, "") and rows[1][10] == "未报送"
    client.force_login(mine.user)  # a subject's own ledger: its own rows only
    own = xlsx_download(client.get(f"/subjects/{mine.pk}/ledger.xlsx")).worksheets[0]
    assert own["A1"].value == "金立新整改台账"
    assert [r[1] for r in own.iter_rows(min_row=3, values_only=True)] == ["金立新"]
    client.force_login(office)
    letter = client.get(f"/subjects/{mine.pk}/opinion/").content.decode()
    assert "评议意见书" in letter and "金立新的问题" in letter


def test_the_whole_loop_through_one_url_per_move(client, office, delivered):
    """Each move has its own URL and form; a refused POST shows the page again with what
    was typed (status 400) and writes nothing."""

    campaign, mine, theirs, fin_staff, _ = delivered
    problem = mine.opinion.problems.get()
    base = f"/subjects/{mine.pk}/rectification/"
    client.force_login(mine.user)
    page = client.get(base).content.decode()
    assert f'action="{base}plan/"' in page and f"{base}plan/move/submitted/" in page
    # An impossible date: the page comes back with the typed measures, nothing is saved.
    bad = {**_plan_post(mine), f"time_limit_{problem.pk}": "2018-02-30"}
    response = client.post(f"{base}plan/", bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "完成时限" in body and "推行并联审批" in body
    assert not RectificationPlan.objects.get(subject=mine).rows.exists()
    # Too long for the field: refused by the form, not cut short.
    long = {**_plan_post(mine), f"responsible_{problem.pk}": "人" * 81}
    assert client.post(f"{base}plan/", long).status_code == 400
    assert client.post(f"{base}plan/move/submitted/", _plan_post(mine)).status_code == 302
    # The subject cannot decide on their own plan; an unknown move is refused.
    assert client.post(f"{base}plan/move/approved/").status_code == 400
    assert client.post(f"{base}plan/move/bogus/").status_code == 400
    client.force_login(fin_staff)
    page = client.get(base).content.decode()
    assert f"{base}plan/move/approved/" in page and f"{base}plan/move/returned/" in page
    assert (
        "必须写明理由" in client.post(f"{base}plan/move/returned/", {"reason": ""}).content.decode()
    )
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.SUBMITTED
    client.post(f"{base}plan/move/returned/", {"reason": "措施不具体"})
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.RETURNED
    client.force_login(mine.user)
    assert "措施不具体" in client.get(base).content.decode()
    client.post(f"{base}plan/move/submitted/", _plan_post(mine))
    client.force_login(fin_staff)
    client.post(f"{base}plan/move/approved/")
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.APPROVED
    client.force_login(mine.user)
    report_post = {
        "version": rectification_edit_version(mine),
        "text": "已完成整改",
        f"status_{problem.pk}": "done",
        f"done_{problem.pk}": "已推行并联审批",
        f"evidence_{problem.pk}": pdf_upload("佐证.pdf"),
    }
    assert client.post(f"{base}report/move/submitted/", report_post).status_code == 302
    report = RectificationReport.objects.get(subject=mine)
    assert (
        report.status == RectificationReportStatus.SUBMITTED
        and report.rows.get().evidence_name == "佐证.pdf"
    )
    MemberFactory.create_batch(3)
    client.force_login(office)
    assert f"{base}assessment/" in client.get(base).content.decode()
    response = client.post(f"{base}assessment/")
    assert response.status_code == 302, [str(m) for m in response.context["messages"]]
    report.refresh_from_db()
    assert report.ballot is not None


def test_office_opinion_moves_and_forged_ids(client, office):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign)
    other = CampaignFactory(actor=office, name="另一次评议")
    base = f"/subjects/{subject.pk}/rectification/"
    client.force_login(office)
    assert client.post(f"{base}opinion/", {"summary": "总体满意"}).status_code == 302
    opinion = ReviewOpinion.objects.get(subject=subject)
    foreign_item = other.content_items.first()
    for data in (
        {"content_item": foreign_item.pk, "source": "inquiry", "text": "伪造"},
        {"content_item": "abc", "source": "inquiry", "text": "伪造"},
        {"content_item": campaign.content_items.first().pk, "source": "finding", "text": "伪造"},
        {"content_item": campaign.content_items.first().pk, "source": "inquiry", "text": "x\x00"},
    ):
        assert client.post(f"{base}opinion/problems/", data).status_code == 400
    assert not opinion.problems.exists()
    client.post(
        f"{base}opinion/problems/",
        {
            "content_item": campaign.content_items.first().pk,
            "source": "inquiry",
            "inquiry": "",
            "text": "答复不具体",
        },
    )
    assert client.post(f"{base}opinion/move/approved/", {"date": "2017-13-01"}).status_code == 400
    client.post(f"{base}opinion/move/approved/", {"date": datetime.date.today().isoformat()})
    client.post(f"{base}opinion/move/delivered/", {"date": datetime.date.today().isoformat()})
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.DELIVERED and opinion.problems.count() == 1


def test_periods_show_their_unit(client, office, delivered):
    """期限 1 个月, never a bare 期限 1: on the office's page and in the letter."""
    campaign, mine, *_ = delivered
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/rectification/").content.decode()
    assert (
        f"整改方案期限 {campaign.rectification_plan_limit} 个月" in page
        and f"整改情况报告期限 {campaign.rectification_report_limit} 个月" in page
    )
    letter = client.get(f"/subjects/{mine.pk}/opinion/").content.decode()
    assert f"{campaign.rectification_plan_limit} 个月内将整改方案报送" in letter
