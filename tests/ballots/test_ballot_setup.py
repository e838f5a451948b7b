"""Setting a ballot up on the office's page, the rule simulator, and the receipt lookup."""

from decimal import Decimal

import pytest

from ballots.models import Ballot, BallotResult, BallotStatus, VoterGroup
from core.roles import Role
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    PaperTallyFactory,
    SubjectFactory,
    UserFactory,
    ballot_advance,
    xlsx_download,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(office):
    campaign = CampaignFactory(actor=office, composition_size=25)
    SubjectFactory.create_batch(2, campaign=campaign)
    return campaign


def _form(**changes):
    data = {
        "name": "述职评议满意度测评",
        "purpose": "review",
        "meeting": "",
        "teller_threshold": "",
        "present_count": "",
        "quorum": "",
        "preset": "default",
        # List editors: one box per label.
        "options": ["满意", "基本满意", "不满意"],
        "outcomes": ["满意", "基本满意", "不满意"],
        "favourable": ["满意", "基本满意"],
        "committee_weight": "1",
        "extra_groups": "",
        "quorum_base": "composition",
        "threshold_on": "on",
        "threshold_options": "不满意",
        "threshold_counting": "committee",
        "threshold_compare": "gt",
        "threshold_share": "1/2",
        "threshold_base": "composition",
        "method": "bands",
        "rate_options": "满意、基本满意",
        "rate_base": "valid",
        "counting": "weighted",
        "bands": ">=80% 满意\n>=0% 基本满意",
        "points": "",
        "drop": "0",
        "combine": "pooled",
        "not_counted": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_default_preset_is_recorded_as_such(client, office, campaign):
    client.force_login(office)
    response = client.post(f"/campaigns/{campaign.pk}/ballots/", _form())
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and ballot.rule_preset == "default"
    assert ballot.outcomes == ["满意", "基本满意", "不满意"]


def test_a_competence_scale_with_groups_and_a_strict_band(client, office, campaign):
    client.force_login(office)
    response = client.post(
        f"/campaigns/{campaign.pk}/ballots/",
        _form(
            preset="",
            options=["优秀", "称职", "基本称职", "不称职"],
            outcomes=["称职", "基本称职", "不称职"],
            favourable=["优秀", "称职"],
            committee_weight="2",
            extra_groups="人大代表 0.5\n服务对象 0.25",
            threshold_on=None,
            rate_options="优秀、称职",
            rate_base="cast",
            bands=">2/3 称职\n>=50% 基本称职",
            present_count="20",
            quorum_base="present",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-800:]
    ballot = Ballot.objects.get()
    assert ballot.rule_preset == "custom" and ballot.quorum == 11  # more than half of 20
    assert ballot.rule_spec["bands"][0] == {"share": "2/3", "strict": True, "outcome": "称职"}
    weights = dict(VoterGroup.objects.filter(ballot=ballot).values_list("name", "weight"))
    assert weights == {
        "常委会组成人员": Decimal("2.00"),
        "人大代表": Decimal("0.50"),
        "服务对象": Decimal("0.25"),
    }
    assert "超过三分之二为称职" in ballot.rule_text and "不称职" in ballot.rule_text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bands": ">=80% 优秀"}, "“优秀”不是本次测评的结果档次"),
        ({"bands": ">=50% 基本满意\n>=80% 满意"}, "从高到低"),
        ({"bands": "八成 满意"}, "看不懂"),
        ({"threshold_options": "很不满意"}, "门槛条件所计的选项"),
        ({"threshold_share": "150%"}, "应在 0 到 100% 之间"),
        ({"threshold_base": "present"}, "请填写出席人数"),
        ({"quorum_base": "present"}, "最低参加人数的基数"),
        ({"extra_groups": "常委会组成人员 0.5"}, "名称不能重复"),
        ({"extra_groups": "人大代表 0.5\n人大代表 1"}, "名称不能重复"),
        ({"extra_groups": "人大代表 半"}, "权重不是数字"),
        ({"extra_groups": "人大代表 0"}, "权重须在 0.01 至 999.99 之间"),
        ({"favourable": ["不满意"]}, "计为满意的选项"),
        ({"options": ["满意"]}, "选项须有 2 至 8 项"),
        ({"outcomes": ["好", "好"]}, "有重复的条目：好"),
        ({"outcomes": ["好"]}, "结果档次须有 2 至 8 项"),
        ({"outcomes": ["", " "]}, "至少填写 1 项"),
        ({"method": "plurality", "outcomes": ["合格", "不合格"]}, "每个选项都须是结果档次"),
        ({"present_count": "30"}, "出席人数应在 1 到组成人员总数 25 之间"),
        # The threshold's share and the ratio's bands are numbers or fractions, checked
        # field by field; the options they count are the ballot's own.
        ({"threshold_share": "一半"}, "“一半”不是有效的比例，请写成 80%、2/3 或 0.5"),
        ({"threshold_share": "1/0"}, "不是有效的比例"),
        ({"threshold_share": "0"}, "比例应大于 0"),
        ({"threshold_share": ""}, "请填写比例"),
        ({"bands": ">=80% 满意\n>=1.5 基本满意"}, "第 2 档：比例“1.5”应在 0 到 100% 之间"),
        ({"bands": ">=8o% 满意"}, "看不懂"),
        ({"rate_options": "满意、很满意"}, "满意率所计的选项“很满意”不是本次测评的选项"),
        ({"rate_options": ""}, "请填写满意率所计的选项"),
        ({"threshold_options": "、"}, "请填写门槛条件所计的选项"),
    ],
)
def test_invalid_combinations_are_refused_in_chinese_and_nothing_is_saved(
    client, office, campaign, changes, message
):
    client.force_login(office)
    response = client.post(f"/campaigns/{campaign.pk}/ballots/", _form(**changes), follow=True)
    assert message in response.content.decode()
    assert not Ballot.objects.exists() and not VoterGroup.objects.exists()


def test_the_live_preview_says_what_the_rule_does(client, office, campaign):
    client.force_login(office)
    data = client.post(
        f"/campaigns/{campaign.pk}/ballots/preview/",
        _form(threshold_on=None, rate_base="cast", bands=">2/3 满意"),
    ).json()
    assert data == {
        "text": "按（满意+基本满意）÷ 收回票的比率分档：超过三分之二为满意，其余为不满意。",
        "problems": [],
    }
    bad = client.post(
        f"/campaigns/{campaign.pk}/ballots/preview/", _form(bands=">=50% 基本满意\n>=80% 满意")
    ).json()
    assert bad["text"] == "" and "从高到低" in bad["problems"][0]
    typo = client.post(
        f"/campaigns/{campaign.pk}/ballots/preview/", _form(threshold_share="2/3x")
    ).json()
    assert typo == {
        "text": "",
        "problems": ["门槛：比例：“2/3x”不是有效的比例，请写成 80%、2/3 或 0.5。"],
    }
    client.force_login(MemberFactory().user)
    assert client.post(f"/campaigns/{campaign.pk}/ballots/preview/", _form()).status_code == 403


def test_zhanyi_issued_counts_the_paper_sheets_handed_out_not_every_member(office, campaign):
    """沾益: 22 sheets issued on paper, 12 满意: 54.55 %, not 12 / (25 + 22)."""
    MemberFactory.create_batch(25)
    subject = campaign.subjects.first()
    ballot = BallotFactory(
        campaign=campaign, actor=office, name="沾益", rule_preset="zhanyi", subjects=[subject]
    )
    PaperTallyFactory(
        ballot=ballot,
        issued=22,
        returned=20,
        counts={subject.pk: {"满意": 12, "基本满意": 6, "不满意": 2}},
    )
    ballot_advance(ballot, to=BallotStatus.CLOSED, actor=office)  # nobody votes on the web
    result = BallotResult.objects.get(ballot=ballot)
    assert float(result.rate) == 54.55 and result.outcome == "基本满意"
    assert "满意 12 ÷ 发出票 22 = 54.55%" in result.explanation


@pytest.fixture
def published(office, campaign):
    voters = [m.user for m in MemberFactory.create_batch(25)]
    # 20 vote. The first subject: 16 满意 4 不满意 (80 %); the second: 12 满意 8 不满意 (60 %).
    votes = [("满意" if i < 16 else "不满意", "满意" if i < 12 else "不满意") for i in range(20)]
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="测评",
        status=BallotStatus.PUBLISHED,
        votes=votes,
        voters=voters[:20],
    )
    return ballot, voters, ballot.receipts


def test_the_simulator_compares_rules_and_changes_nothing(client, office, published, make_user):
    ballot, voters, _ = published
    stored = list(BallotResult.objects.values_list("subject_id", "outcome", "explanation"))
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/simulate/").content.decode()
    assert "本次所用规则" in page and "津市" in page and "镇海" in page and "称职测评" in page
    assert "table-warning" in page  # 津市: 60 % is not more than 2/3 → differs from 基本满意
    custom = client.get(
        f"/ballots/{ballot.pk}/simulate/",
        {
            "method": "bands",
            "rate_options": "满意",
            "rate_base": "composition",
            "counting": "committee",
            "bands": ">=60% 满意",
            "threshold_compare": "gt",
            "threshold_share": "1/2",
            "threshold_base": "composition",
            "threshold_counting": "committee",
        },
    ).content.decode()
    assert "自定义规则" in custom and "满意 16 ÷ 组成人员总数 25 = 64.00%" in custom
    response = client.get(f"/ballots/{ballot.pk}/simulate.xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = xlsx_download(response).worksheets[0]
    assert sheet.title == "评议规则模拟"
    assert sheet["A1"].value.endswith("评议规则模拟（不改变已公布结果）")
    assert sheet["A2"].value == "评议对象" and sheet["B2"].value == "本次所用规则"
    assert sheet.max_row == 4
    header = [c.value for c in sheet[2]]
    a, b = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    first = ballot.campaign.subjects.order_by("position").first()
    assert a[0] == f"{first.unit.name}{first.post} {first.person_name}"
    assert a[1].startswith("满意\n") and "16 ÷ 有效票 20 = 80.00%" in a[1]
    # 津市 asks for more than 2/3: b's 60 % comes out 不满意, not 基本满意, and is marked.
    jinshi = sheet.cell(row=4, column=header.index("津市") + 1)
    assert b[header.index("津市")].startswith("不满意\n") and jinshi.fill.fgColor.rgb.endswith(
        "FFF2CC"
    )
    assert not sheet.cell(row=4, column=2).fill.fill_type  # the rule used is never marked
    assert list(BallotResult.objects.values_list("subject_id", "outcome", "explanation")) == stored
    for role in (Role.LEADING_GROUP, Role.DIRECTORS_MEETING):
        client.force_login(make_user(role))
        assert client.get(f"/ballots/{ballot.pk}/simulate/").status_code == 200
    for user in (voters[0], make_user(Role.SUBJECT)):
        client.force_login(user)
        assert client.get(f"/ballots/{ballot.pk}/simulate/").status_code == 403


def test_a_draft_rule_is_tried_on_a_past_ballots_counts(client, office, published, campaign):
    ballot, *_ = published
    draft = BallotFactory(campaign=campaign, actor=office, name="明年", rule_preset="jinshi")
    client.force_login(office)
    detail = client.get(f"/ballots/{draft.pk}/").content.decode()
    assert f"/ballots/{ballot.pk}/simulate/?draft={draft.pk}" in detail
    page = client.get(f"/ballots/{ballot.pk}/simulate/", {"draft": draft.pk}).content.decode()
    assert "拟用规则：明年" in page


def test_the_simulator_waits_for_publication(client, office, campaign):
    ballot = BallotFactory(campaign=campaign, actor=office, name="测评", status=BallotStatus.CLOSED)
    client.force_login(office)
    assert client.get(f"/ballots/{ballot.pk}/simulate/").status_code == 404
    assert client.get(f"/ballots/{ballot.pk}/simulate.xlsx").status_code == 404


def test_a_member_checks_a_receipt_and_sees_only_counted_or_not(client, published, make_user):
    ballot, voters, receipts = published
    client.force_login(voters[0])
    url = f"/ballots/{ballot.pk}/receipt/"
    found = client.get(url, {"code": receipts[3].lower()}).content.decode()
    assert "已计入" in found and "满意" not in found.split('data-testid="receipt-state"')[1][:200]
    assert "未找到" in client.get(url, {"code": "AAAAAAAAAAAA"}).content.decode()
    voted = client.get(f"/ballots/{ballot.pk}/vote/").content.decode()
    assert url in voted  # the "already voted" screen links to the lookup
    results = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert "核对我的回执码" in results and receipts[0] in results
    client.force_login(make_user(Role.MEMBER))  # not a voter of this ballot
    assert client.get(url, {"code": receipts[3]}).status_code == 404


def test_before_publication_the_lookup_says_nothing(client, office, campaign):
    voter = MemberFactory().user
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="测评",
        status=BallotStatus.OPEN,
        votes=["满意"],
        voters=[voter],
    )
    client.force_login(voter)
    code = ballot.receipts[0]
    page = client.get(f"/ballots/{ballot.pk}/receipt/", {"code": code}).content.decode()
    assert "公布后" in page and "已计入：" not in page and "未找到回执码" not in page


def test_the_office_names_tellers_on_the_setup_form(client, office, campaign):
    tellers = UserFactory.create_batch(3)
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/ballots/").content.decode()
    assert "监票人" in page and "解密所需监票人数" in page
    response = client.post(
        f"/campaigns/{campaign.pk}/ballots/",
        _form(tellers=[t.pk for t in tellers], teller_threshold="2"),
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert [t.user for t in ballot.tellers.order_by("index")] == tellers
    assert ballot.teller_threshold == 2
    detail = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert 'data-testid="tellers-missing"' in detail and "尚未生成监票密钥" in detail


def test_the_preset_picker_shows_where_each_preset_comes_from(client, office, campaign):
    from html import unescape

    from ballots.presets import presets

    client.force_login(office)
    html = unescape(client.get(f"/campaigns/{campaign.pk}/ballots/").content.decode())
    assert 'data-testid="preset-sources"' in html
    text = html.replace("<strong>", "").replace("</strong>", "")
    for p in presets():
        assert f"{p['name']}：{p['source']}" in text
    # The scored examples say plainly that no published rule stands behind them.
    scored = [p for p in presets() if p["spec"]["method"] == "score"]
    assert scored and all("不是某地公布的规则" in p["source"] for p in scored)


def test_a_share_is_stored_in_its_plain_form(client, office, campaign):
    """Typed as 0.5 or 50 ％, the threshold's share is kept as the rule writes it."""
    client.force_login(office)
    response = client.post(f"/campaigns/{campaign.pk}/ballots/", _form(threshold_share=" 0.5 "))
    assert response.status_code == 302
    assert Ballot.objects.get().rule_spec["threshold"]["share"] == "50%"
