import datetime
import io

import pytest
from openpyxl import load_workbook

from core.roles import Role
from rectification.models import PlanStatus, RectificationPlan
from rectification.services import opinion_approve, opinion_deliver, opinion_draft, plan_due
from surveys.models import FindingKind
from surveys.services import finding_add
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    SubjectFactory,
    UserFactory,
    make_group,
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
        opinion = opinion_draft(actor=office, subject=subject)
        opinion_approve(actor=office, opinion=opinion, approved_on=datetime.date.today())
        opinion_deliver(actor=office, opinion=opinion, delivered_on=datetime.date.today())
    return campaign, mine, theirs, fin_staff, law_staff


def _plan_post(subject, action):
    problem = subject.opinion.problems.get()
    return {
        "action": action,
        f"measures_{problem.pk}": "推行并联审批",
        f"responsible_{problem.pk}": "金立新",
        f"limit_{problem.pk}": "2018-03-01",
        f"target_{problem.pk}": "办理时限压缩一半",
    }


def test_liaison_sees_and_acts_only_on_its_own_subjects(client, delivered):
    campaign, mine, theirs, fin_staff, law_staff = delivered
    client.force_login(mine.user)
    client.post(f"/subjects/{mine.pk}/rectification/", _plan_post(mine, "plan_submit"))
    client.force_login(law_staff)
    listing = client.get("/liaison/").content.decode()
    assert "唐晓云" in listing and "金立新" not in listing
    assert client.get(f"/subjects/{mine.pk}/rectification/").status_code == 404
    assert (
        client.post(f"/subjects/{mine.pk}/rectification/", {"action": "plan_approve"}).status_code
        == 404
    )
    assert client.get(f"/subjects/{mine.pk}/ledger.xlsx").status_code == 404
    assert client.get(f"/subjects/{mine.pk}/opinion/").status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/rectification/").status_code == 403
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.SUBMITTED
    client.force_login(fin_staff)
    page = client.get(f"/subjects/{mine.pk}/rectification/").content.decode()
    assert "审核整改方案" in page
    client.post(f"/subjects/{mine.pk}/rectification/", {"action": "plan_approve"})
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.APPROVED


def test_subject_cannot_reach_another_subjects_rectification(client, delivered):
    campaign, mine, theirs, *_ = delivered
    client.force_login(mine.user)
    assert client.get(f"/subjects/{theirs.pk}/rectification/").status_code == 404
    assert (
        client.post(
            f"/subjects/{theirs.pk}/rectification/", _plan_post(theirs, "plan_submit")
        ).status_code
        == 404
    )
    assert client.get(f"/subjects/{theirs.pk}/ledger.xlsx").status_code == 404


def test_plan_missing_row_refused_over_http(client, delivered):
    campaign, mine, *_ = delivered
    client.force_login(mine.user)
    response = client.post(
        f"/subjects/{mine.pk}/rectification/", {"action": "plan_submit"}, follow=True
    )
    assert (
        "以下问题还没有整改措施" in response.content.decode()
        and "金立新的问题" in response.content.decode()
    )
    assert RectificationPlan.objects.get(subject=mine).status == PlanStatus.DRAFT


def test_overdue_derived_from_dates_everywhere(client, delivered, office):
    import time_machine

    campaign, mine, theirs, fin_staff, _ = delivered
    mine = type(mine).objects.get(pk=mine.pk)
    after = plan_due(mine) + datetime.timedelta(days=1)
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


def test_ledger_export_one_row_per_problem(client, delivered, office):
    campaign, mine, theirs, *_ = delivered
    client.force_login(mine.user)
    client.post(f"/subjects/{mine.pk}/rectification/", _plan_post(mine, "plan_save"))
    client.force_login(office)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/campaigns/{campaign.pk}/ledger.xlsx").content)
    ).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert [r[1] for r in rows] == ["金立新", "唐晓云"]
    assert rows[0][3] == "金立新的问题" and rows[0][6] == "推行并联审批" and rows[0][7] == "金立新"
    assert rows[1][6] in (None, "")
    letter = client.get(f"/subjects/{mine.pk}/opinion/").content.decode()
    assert "评议意见书" in letter and "金立新的问题" in letter
