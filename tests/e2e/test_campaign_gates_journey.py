"""The office takes a campaign from 准备阶段 to 已结束 through every gate: each stage's
page says what is still missing, with links; the work is done; the gate opens; one gate is
crossed with a written reason; closing is confirmed."""

import datetime

import pytest
from playwright.sync_api import expect

from ballots.services import ballot_create, ballot_publish
from core.roles import Role
from rectification.services import (
    rectification_assessment_conclude,
    rectification_assessment_open,
    rectification_plan_approve,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_save,
    rectification_report_submit,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
)
from reviews.services import campaign_implementation_plan_attach, campaign_update
from surveys.models import FindingKind
from surveys.services import (
    finding_add,
    investigation_report_mark_heard,
    investigation_report_save,
    investigation_report_submit,
)
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    cast,
    close_and_count,
    make_group,
    open_ballot,
    pdf_upload,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _vote_and_publish(office, ballot, voters, choice):
    open_ballot(actor=office, ballot=ballot)
    for voter in voters:
        cast(actor=voter, ballot=ballot, choices={ballot.items.get().subject_id: choice})
    close_and_count(actor=office, ballot=ballot)
    ballot_publish(actor=office, ballot=ballot)


def test_campaign_through_every_gate(page, live_server, login):
    office = UserFactory(username="office", role=Role.OFFICE, is_staff=True)
    campaign = campaign_update(
        actor=office,
        campaign=CampaignFactory(actor=office, name="2024年度县人大常委会述职评议"),
        composition_size=3,
    )
    today = datetime.date.today()
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    group = make_group(campaign, name="第一组", subjects=[subject], actor=office)
    voters = [MemberFactory().user for _ in range(3)]
    url = f"{live_server.url}/campaigns/{campaign.pk}/"
    gate = page.get_by_test_id("gate-problems")
    forward = page.get_by_test_id("stage-forward")

    login("office", PASSWORD)
    # 准备阶段: the implementation plan is missing.
    page.goto(url)
    expect(gate).to_contain_text("实施方案尚未登记批准日期")
    campaign_implementation_plan_attach(
        actor=office, campaign=campaign, document=pdf_upload(), approved_on=today
    )
    page.goto(url)
    expect(gate).to_have_count(0)
    forward.get_by_role("button", name="推进到初评阶段").click()
    expect(page.get_by_role("alert").first).to_contain_text("已进入初评阶段")

    # 初评阶段: the investigation report, with a link to where it is written.
    expect(gate).to_contain_text("金立新的调查报告尚未起草")
    expect(gate.get_by_role("link", name="金立新的调查报告尚未起草")).to_have_attribute(
        "href", f"/groups/{group.pk}/subjects/{subject.pk}/"
    )
    finding_add(
        actor=group.leader,
        subject=subject,
        content_item=campaign.content_items.first(),
        kind=FindingKind.PROBLEM,
        text="审批时限长",
    )
    report = investigation_report_save(actor=group.leader, subject=subject, body="调查报告")
    investigation_report_submit(actor=group.leader, report=report)
    page.goto(url)
    expect(gate).to_contain_text("尚未经主任会议听取")
    investigation_report_mark_heard(actor=office, report=report, heard_on=today)
    page.goto(url)
    forward.get_by_role("button", name="推进到评议阶段").click()
    expect(page.get_by_role("alert").first).to_contain_text("已进入评议阶段")

    # 评议阶段: the ballot must be published; here the office crosses with a reason once.
    ballot = ballot_create(actor=office, campaign=campaign, name="述职评议满意度测评")
    page.goto(url)
    expect(gate).to_contain_text("结果尚未公布")
    forward.get_by_role("button", name="越过上述条件，推进到整改阶段").click()
    expect(page).to_have_url(url)  # the browser asks for the reason first (required)
    page.get_by_label("确需越过时，请写明理由").fill("测评在会上以纸质票进行，结果另行录入")
    forward.get_by_role("button", name="越过上述条件，推进到整改阶段").click()
    expect(page.get_by_role("alert").first).to_contain_text("已进入整改阶段")
    expect(page.get_by_test_id("overrides")).to_contain_text("结果另行录入")
    _vote_and_publish(office, ballot, voters, "满意")

    # 整改阶段: the opinion, the plan, the report and its assessment.
    expect(gate).to_contain_text("金立新的评议意见尚未送达")
    opinion = review_opinion_draft(actor=office, subject=subject)
    review_opinion_approve(actor=office, opinion=opinion, approved_on=today)
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=today)
    problem = opinion.problems.get()
    rows = {
        problem.pk: {
            "measures": "推行并联审批",
            "responsible": "金立新",
            "time_limit": today + datetime.timedelta(days=60),
            "target": "时限减半",
        }
    }
    rectification_plan_save(actor=subject.user, subject=subject, rows=rows)
    rectification_plan_submit(actor=subject.user, subject=subject)
    rectification_plan_approve(actor=office, subject=subject)
    rectification_report_save(
        actor=subject.user,
        subject=subject,
        text="已完成整改",
        rows={problem.pk: {"status": "done", "done": "已推行"}},
    )
    rectification_report_submit(actor=subject.user, subject=subject)
    page.goto(url)
    expect(gate).to_contain_text("整改尚未完成")
    assessment = rectification_assessment_open(actor=office, subject=subject)
    assessment = open_ballot(
        actor=office, ballot=assessment
    )  # its tellers make keys, the office opens
    for voter in voters:
        cast(actor=voter, ballot=assessment, choices={subject.pk: "满意"})
    close_and_count(actor=office, ballot=assessment)
    ballot_publish(actor=office, ballot=assessment)
    rectification_assessment_conclude(actor=office, subject=subject)

    # Closing is confirmed.
    page.goto(url)
    expect(gate).to_have_count(0)
    forward.get_by_role("button", name="结束本次评议活动").click()
    expect(page).to_have_url(url)  # not without the confirmation
    page.get_by_label("我确认结束本次评议活动").check()
    forward.get_by_role("button", name="结束本次评议活动").click()
    expect(page.get_by_role("alert").first).to_contain_text("已进入已结束")
