"""A brand-new office user sets up a campaign on the office's own pages: 新建评议活动 from
我的工作 (list editors, no JSON), 12 subjects pasted as copied from Excel (one bad row
shown in the preview by row and column, then fixed), the committee's members from an Excel
file (one bad row named in the preview, the file fixed and uploaded again), a ballot with
three tellers named on its page (who make their keys and later decrypt on their phones);
walks the stages, opens the ballot in 评议 only after the confirmation page (before 评议 the
page asks for a reason), publishes after the preview of the exact public text; and finds
the campaign in the 届内履职评议档案. It never visits /admin/, and no page breaks the
Content-Security-Policy."""

import datetime

import pytest
from playwright.sync_api import expect

from ballots.models import Ballot, BallotStatus
from reviews.imports import MEMBER_COLUMNS
from reviews.models import Campaign, Member
from tests.e2e.ballot_steps import teller_load_key, teller_make_key
from tests.e2e.steps import login_as
from tests.factories import (
    PASSWORD,
    LiaisonCommitteeFactory,
    UnitFactory,
    UserFactory,
    cast,
    office_user,
    xlsx_upload,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNITS = [
    "县发展和改革委员会",
    "县教育局",
    "县公安局",
    "县民政局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县生态环境局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县农业农村局",
    "县卫生健康局",
]
PEOPLE = [
    "金鑫",
    "李明",
    "王芳",
    "赵强",
    "钱进",
    "孙丽",
    "周涛",
    "吴敏",
    "郑伟",
    "冯军",
    "陈静",
    "褚洪",
]

MEMBERS = [
    ["王恒亮", "常委会副主任", "wanghl", "是"],
    ["刘建国", "常委会委员", "liujg", "是"],
    ["陈淑华", "常委会委员", "chensh", "是"],
    ["杨列席", "列席人员", "yanglx", "否"],
    ["黄志远", "常委会委员", "huangzy", None],
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _members_file(path, *, bad_login_on: int | None = None):
    """The members' Excel as the office fills in the template; one login may be mistyped."""
    rows = [[c.header for c in MEMBER_COLUMNS]]
    for i, row in enumerate(MEMBERS, start=1):
        rows.append([*row[:2], "huang zy!" if i == bad_login_on else row[2], row[3]])
    path.write_bytes(xlsx_upload(rows).read())
    return path


def _rows(bad_unit_on: int | None = None) -> str:
    lines = ["姓名\t单位\t职务\t任现职时间\t评议形式\t联系委室\t登录名"]
    for i, (name, unit) in enumerate(zip(PEOPLE, UNITS, strict=True), start=1):
        unit = "县不存在局" if i == bad_unit_on else unit
        form = "现场" if i <= 6 else "书面"
        lines.append(f"{name}\t{unit}\t局长\t2019-0{1 + i % 9}-01\t{form}\t财政经济工作委员会\t")
    return "\n".join(lines)


def test_new_office_user_sets_up_a_campaign_without_the_admin(
    page, browser, live_server, login, tmp_path
):
    office_user(username="newclerk", first_name="新办事员")
    # Three staff with logins of their own, to be named tellers on the ballot's page.
    teller_users = [
        UserFactory(username=f"jianpiao{i}", first_name=name)
        for i, name in enumerate(("监票甲", "监票乙", "监票丙"), start=1)
    ]
    for name in UNITS:
        UnitFactory(name=name)
    LiaisonCommitteeFactory(name="财政经济工作委员会")
    visited: list[str] = []
    csp: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    page.on(
        "console",
        lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    year = datetime.date.today().year

    login("newclerk", PASSWORD)
    expect(page.get_by_test_id("my-items")).to_contain_text("待我办理")
    page.get_by_test_id("campaign-new").click()
    expect(page.get_by_role("heading", name="新建评议活动")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("JSON")

    page.get_by_label("活动名称").fill(f"{year}年度县人大常委会述职评议")
    page.get_by_label("常委会组成人员总数").fill("27")
    page.get_by_label("届次").fill("第十七届")
    page.get_by_label("本届起始年份").select_option(label=f"{year - 4}—{year} 年")
    page.get_by_label("评议阶段开始").fill(f"{year}-10-20")
    page.get_by_label("评议阶段结束").fill(f"{year}-10-20")
    # The list editors: add an option and take it out again; add a content item.
    options = page.locator("#id_rating_options")
    options.get_by_role("button", name="添加选项").click()
    options.get_by_label("第 4 项", exact=True).fill("较满意")
    options.get_by_role("button", name="删除第 4 项").click()
    expect(options.locator("input")).to_have_count(3)
    items = page.locator("#id_content_items")
    items.get_by_role("button", name="添加评议内容").click()
    items.locator("input").last.fill("优化营商环境情况")
    page.get_by_role("button", name="保存，下一步添加评议对象").click()

    expect(page.get_by_role("alert").first).to_contain_text("已创建")
    campaign = Campaign.objects.get(name=f"{year}年度县人大常委会述职评议")
    assert campaign.rating_options == ["满意", "基本满意", "不满意"]
    assert campaign.content_items.last().title == "优化营商环境情况"
    assert campaign.term_label == f"第十七届（{year - 4}—{year}年）"

    # Paste 12 rows with one bad unit: the preview names its row and column, saves nothing.
    page.get_by_label("粘贴评议对象（每行一人）").fill(_rows(bad_unit_on=5))
    page.get_by_test_id("paste-preview-button").click()
    expect(page.get_by_test_id("paste-error")).to_have_count(1)
    expect(page.get_by_test_id("paste-errors")).to_contain_text("第 6 行")  # line 6: header + 5
    expect(page.get_by_test_id("paste-errors")).to_contain_text("单位")
    assert campaign.subjects.count() == 0
    page.get_by_label("粘贴评议对象（每行一人）").fill(_rows())
    page.get_by_test_id("paste-preview-button").click()
    expect(page.get_by_test_id("paste-preview")).to_contain_text("12 名评议对象")
    page.get_by_test_id("paste-save").click()
    expect(page.get_by_role("alert").first).to_contain_text("已添加评议对象 12 名")
    expect(page.get_by_test_id("subject-table").locator("tbody tr")).to_have_count(12)
    names = list(campaign.subjects.order_by("position").values_list("person_name", flat=True))
    assert names == PEOPLE

    # One more, typed into the table instead of pasted: previewed and saved the same way.
    grid = page.locator("#subject-grid")
    grid.get_by_label("姓名").fill("卫东")
    grid.get_by_label("单位").fill("县教育局")
    grid.get_by_label("职务").fill("副局长")
    grid.get_by_label("任现职时间").fill("2020-05-01")
    grid.get_by_label("评议形式").select_option("书面")
    grid.get_by_label("联系委室").fill("财政经济工作委员会")
    page.get_by_test_id("paste-preview-button").click()
    expect(page.get_by_test_id("paste-preview")).to_contain_text("1 名评议对象")
    page.get_by_test_id("paste-save").click()
    expect(page.get_by_test_id("subject-table").locator("tbody tr")).to_have_count(13)
    assert campaign.subjects.order_by("position").last().person_name == "卫东"

    # The committee's members from Excel, from 我的工作: the preview names the bad row by the
    # sheet's row and column and adds no one; the fixed file is previewed, then added.
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("link", name="常委会组成人员").click()
    upload = page.get_by_test_id("member-upload")
    upload.get_by_label("Excel 文件（.xlsx）").set_input_files(
        str(_members_file(tmp_path / "组成人员.xlsx", bad_login_on=5))
    )
    upload.get_by_test_id("upload-preview-button").click()
    expect(page.get_by_test_id("paste-error")).to_have_count(1)
    expect(page.get_by_test_id("paste-errors")).to_contain_text("第 6 行")  # header + 5
    expect(page.get_by_test_id("paste-errors")).to_contain_text("登录名")
    assert Member.objects.count() == 0
    page.get_by_test_id("member-upload").get_by_label("Excel 文件（.xlsx）").set_input_files(
        str(_members_file(tmp_path / "组成人员（改）.xlsx"))
    )
    page.get_by_test_id("upload-preview-button").click()
    expect(page.get_by_test_id("paste-preview")).to_contain_text("5 名人员")
    page.get_by_test_id("paste-save").click()
    expect(page.get_by_role("alert").first).to_contain_text("已添加常委会组成人员 5 名")
    expect(page.get_by_test_id("new-accounts")).to_contain_text("huangzy")
    assert [m.name for m in Member.objects.order_by("position")] == [r[0] for r in MEMBERS]

    # Walk the stages from the campaign's page; its gates are crossed with a written reason.
    campaign_url = f"{live_server.url}/campaigns/{campaign.pk}/"
    forward = page.get_by_test_id("stage-forward")
    page.goto(campaign_url)
    page.get_by_label("确需越过时，请写明理由").fill("实施方案另行印发，演练先行")
    forward.get_by_role("button", name="越过上述条件，推进到初评阶段").click()
    expect(page.get_by_role("alert").first).to_contain_text("已进入初评阶段")

    # The ballot, set up on the campaign's ballot page with a quorum the three voters reach.
    page.goto(campaign_url)
    page.get_by_role("link", name="满意度测评").click()
    page.get_by_label("最低参加人数", exact=True).fill("3")
    page.get_by_role("button", name="建立测评").click()
    expect(page.get_by_role("alert").first).to_contain_text("测评已建立")
    ballot = Ballot.objects.get(campaign=campaign)
    ballot_url = page.url
    # Three tellers named on the ballot's page; each makes a key on their phone (their
    # journey is test_teller_journey), and the first two send the shares they owe.
    tellers = page.get_by_test_id("tellers")
    tellers.get_by_label("监票人").select_option(label=[u.first_name for u in teller_users])
    tellers.get_by_role("button", name="保存监票人").click()
    expect(page.get_by_role("alert").first).to_contain_text("监票人已指定")
    expect(page.get_by_test_id("tellers")).to_contain_text("尚未生成密钥")
    assert [t.user for t in ballot.tellers.order_by("index")] == teller_users
    keys, phones = {}, {}
    for i, user in enumerate(teller_users, start=1):
        phones[i] = browser.new_context(accept_downloads=True, **PHONE).new_page()
        login_as(phones[i], live_server.url, user.username)
        keys[i] = tmp_path / f"teller{i}.json"
        teller_make_key(phones[i], keys[i], f"passphrase-{i}")
    for i in (1, 2):
        phones[i].goto(f"{live_server.url}/my-work/")
        phones[i].get_by_role("link", name="去发送").click()
        teller_load_key(phones[i], keys[i], f"passphrase-{i}")
        expect(phones[i].get_by_test_id("teller-message")).to_contain_text("份额已发送")
    # Before 评议 the confirmation page asks why; the clerk goes back without opening.
    page.goto(ballot_url)
    page.get_by_test_id("ballot-open").click()
    expect(page.get_by_role("heading", name="确认开始投票")).to_be_visible()
    expect(page.get_by_test_id("stage-problem")).to_contain_text("应在评议阶段开始投票")
    expect(page.get_by_test_id("open-voters")).to_contain_text(MEMBERS[0][0])
    expect(page.get_by_test_id("open-rule")).to_contain_text(ballot.rule_text)
    page.get_by_role("link", name="返回，不开始").click()
    expect(page.get_by_test_id("ballot-status")).to_have_text("草稿")

    page.goto(campaign_url)
    page.get_by_label("确需越过时，请写明理由").fill("调查报告已在主任会议口头汇报")
    forward.get_by_role("button", name="越过上述条件，推进到评议阶段").click()
    expect(page.get_by_role("alert").first).to_contain_text("已进入评议阶段")

    # In 评议: the confirmation alone, read and ticked.
    page.goto(ballot_url)
    page.get_by_test_id("ballot-open").click()
    expect(page.get_by_test_id("stage-problem")).to_have_count(0)
    expect(page.get_by_test_id("open-summary")).to_contain_text("13 名")
    page.get_by_label("我已核对以上测评、投票人和结果规则，确定开始投票").check()
    page.get_by_test_id("open-confirm").click()
    expect(page.get_by_role("alert").first).to_contain_text("已开始投票")
    expect(page.get_by_test_id("ballot-status")).to_have_text("投票中")
    # Three of the members added from Excel vote (their journey is test_ballot_journey).
    voters = [Member.objects.get(name=row[0]).user for row in MEMBERS[:3]]
    for voter, choice in zip(voters, ("满意", "满意", "基本满意"), strict=True):
        cast(actor=voter, ballot=ballot, choices=choice)
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="结束投票").click()
    expect(page.get_by_test_id("ballot-status")).to_contain_text("已解密 0 人，需 2 人")
    # Two of the three tellers decrypt on their phones.
    for i in (1, 3):
        phones[i].goto(f"{live_server.url}/my-work/")
        phones[i].get_by_role("link", name="去解密").click()
        teller_load_key(phones[i], keys[i], f"passphrase-{i}")
    expect(phones[3].get_by_test_id("teller-message")).to_contain_text("计票完成")
    for phone in phones.values():
        phone.context.close()

    # Publishing: the preview first, then the same text on /public/.
    page.goto(ballot_url)
    expect(page.get_by_test_id("ballot-status")).to_have_text("已结束")
    page.get_by_test_id("ballot-publish").click()
    expect(page.get_by_role("heading", name="公布前预览")).to_be_visible()
    preview = page.get_by_test_id("publish-preview")
    expect(preview).to_contain_text("金鑫")
    previewed = preview.inner_text()
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_role("alert").first).to_contain_text("测评结果已公布")
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.PUBLISHED
    page.goto(f"{live_server.url}/public/campaigns/{campaign.pk}/")
    assert page.get_by_test_id("public-ballot").inner_text() == previewed

    # The term record, from 我的工作.
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("link", name="届内履职评议档案").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第十七届")
    expect(page.get_by_test_id("term-campaigns")).to_contain_text(campaign.name)
    page.get_by_role("link", name="金鑫").click()
    expect(page.get_by_test_id("term-row")).to_have_count(1)
    expect(page.locator("#term-trend canvas")).to_have_count(1)  # ECharts drew

    assert not [u for u in visited if "/admin/" in u], visited
    assert not csp, csp
