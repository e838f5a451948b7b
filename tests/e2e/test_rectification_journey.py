"""Subject submits a plan; the liaison committee returns it; the subject fixes and resubmits;
it is approved; the subject reports; the ledger export shows it."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from rectification.models import OpinionStatus
from tests.factories import (
    PASSWORD,
    FindingFactory,
    LiaisonCommitteeFactory,
    ReviewOpinionFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_returned_fixed_approved_then_reported(page, live_server, login):
    committee = LiaisonCommitteeFactory(
        name="财政经济工作委员会", users=[UserFactory(username="caijing")]
    )
    subject = SubjectFactory(
        person_name="金立新", liaison_committee=committee, user__username="jinlx"
    )
    FindingFactory(subject=subject, text="审批时限长")  # the opinion's one problem
    ReviewOpinionFactory(subject=subject, status=OpinionStatus.DELIVERED)

    login("jinlx", PASSWORD)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/")
    page.get_by_test_id("rectification-link").click()
    page.get_by_label("问题1整改措施").fill("梳理审批流程")
    page.get_by_label("问题1责任人").fill("金立新")
    page.get_by_label("问题1完成时限").fill("2030-03-01")
    page.get_by_label("问题1整改目标").fill("时限压缩")
    page.get_by_role("button", name="报送财政经济工作委员会").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("待联系委室审核")
    page.get_by_role("button", name="退出").click()

    # The liaison committee finds the plan on 我的工作 and goes straight to it.
    login("caijing", PASSWORD)
    item = page.get_by_test_id("work-item").filter(has_text="审核整改方案")
    expect(item).to_contain_text("金立新")
    page.screenshot(path="/tmp/my_work_liaison.png", full_page=True)
    item.get_by_role("link", name="审核").click()
    page.get_by_test_id("plan-decision").get_by_label("退回理由").fill("措施不具体，请明确时间节点")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("已退回")
    page.get_by_role("button", name="退出").click()

    # The subject's 我的工作 names the returned plan, its reason and due date.
    login("jinlx", PASSWORD)
    item = page.get_by_test_id("work-item").filter(has_text="重新报送整改方案（已退回）")
    expect(item).to_contain_text("措施不具体")
    expect(item.get_by_test_id("work-when")).to_contain_text("还剩")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/my_work_subject_phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    item.get_by_role("link", name="填写整改方案").click()
    expect(page.get_by_test_id("plan-return-reason")).to_contain_text("措施不具体")
    page.get_by_label("问题1整改措施").fill("推行并联审批，11月底前上线")
    page.get_by_role("button", name="报送财政经济工作委员会").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("待联系委室审核")
    page.get_by_role("button", name="退出").click()

    login("caijing", PASSWORD)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/rectification/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("plan-decision").get_by_role("button", name="通过").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("已通过")
    page.get_by_role("button", name="退出").click()

    login("jinlx", PASSWORD)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/rectification/")
    page.get_by_label("问题1完成情况").select_option(label="已完成")
    page.get_by_label("问题1整改情况").fill("并联审批已上线，平均时限由 20 天减至 8 天")
    page.get_by_label("书面整改情况报告").fill("按照评议意见逐条整改，情况如下。")
    page.get_by_role("button", name="报送整改情况报告").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("第 1 轮已报送")
    with page.expect_download() as download:
        page.get_by_role("link", name="整改台账（Excel）").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    row = [c.value for c in sheet[3]]
    assert row[1] == "金立新" and row[3] == "审批时限长"
    assert row[6] == "推行并联审批，11月底前上线" and row[10] == "已完成"
