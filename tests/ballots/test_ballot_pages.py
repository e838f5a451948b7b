"""Ballot pages tried from the outside: hidden counts, one vote, forged forms."""

import json

import pytest

from ballots.browser import sheet_for
from ballots.models import BallotResult, BallotStatus, Inquiry, Participation, SealedSheet
from ballots.services import ballot_publish
from core.roles import Role
from subjects.models import ReviewForm
from tests.factories import (
    AgendaItemFactory,
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    ReviewMeetingFactory,
    SubjectFactory,
    ballot_advance,
    cast,
    close_and_count,
    xlsx_download,
)
from tests.factories.base import office_user
from tests.forms import browser_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot_world(office):
    campaign = CampaignFactory(actor=office, composition_size=3)
    a = SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    b = SubjectFactory(
        campaign=campaign, person_name="唐晓云", position=2, review_form=ReviewForm.WRITTEN
    )
    voters = [m.user for m in MemberFactory.create_batch(3)]
    ballot = BallotFactory(
        campaign=campaign, actor=office, name="满意度测评", status=BallotStatus.OPEN
    )
    return campaign, ballot, a, b, voters


def test_vote_flow_confirm_then_receipt_then_only_voted(client, ballot_world):
    campaign, ballot, a, b, voters = ballot_world
    client.force_login(voters[0])
    page = client.get(f"/ballots/{ballot.pk}/vote/").content.decode()
    assert "金立新" in page and "唐晓云" in page and "下一步：核对" in page
    # Without JavaScript the member is told to ask for a paper sheet; the form is hidden.
    assert (
        'data-testid="no-js"' in page
        and "纸质票" in page
        and '<form id="vote-choose" hidden' in page
    )
    assert 'id="ballot-crypto"' in page and "js/ballot_cast.js" in page
    # The browser posts the encrypted sheet only: no choice, no label, no index.
    sheet = sheet_for(ballot, {a.pk: "满意", b.pk: "不满意"})
    done = client.post(f"/ballots/{ballot.pk}/vote/", {"step": "confirm", "sheet": sheet})
    assert "投票成功" in done.content.decode() and 'data-testid="receipt"' in done.content.decode()
    assert SealedSheet.objects.get().tracker in done.content.decode()
    again = client.get(f"/ballots/{ballot.pk}/vote/").content.decode()
    assert "您已投票" in again and "不满意" not in again and "金立新" not in again
    second = client.post(
        f"/ballots/{ballot.pk}/vote/",
        {"step": "confirm", "sheet": sheet_for(ballot, {a.pk: "不满意", b.pk: "不满意"})},
    )
    assert "您已投票" in second.content.decode()
    assert SealedSheet.objects.count() == 1


def test_forged_incomplete_or_clear_sheet_refused(client, ballot_world):
    campaign, ballot, a, b, voters = ballot_world
    client.force_login(voters[0])
    # The old form (option indices in clear) is no sheet at all.
    response = client.post(
        f"/ballots/{ballot.pk}/vote/", {"step": "confirm", f"s{a.pk}": "0", f"s{b.pk}": "0"}
    )
    assert response.status_code == 400 and "纸质票" in response.content.decode()
    good = json.loads(sheet_for(ballot, {a.pk: "满意", b.pk: "满意"}))
    edited = json.loads(json.dumps(good))
    edited["subjects"][0]["slots"][0]["c0"], edited["subjects"][0]["slots"][0]["c1"] = (
        edited["subjects"][0]["slots"][0]["c1"],
        edited["subjects"][0]["slots"][0]["c0"],
    )
    for forged in ("满意", "{}", "[]", json.dumps({**good, "extra": 1}), json.dumps(edited)):
        response = client.post(f"/ballots/{ballot.pk}/vote/", {"step": "confirm", "sheet": forged})
        assert response.status_code == 400, forged
        assert "选票校验未通过" in response.content.decode()
    assert not Participation.objects.exists()


def test_outsiders_cannot_vote(client, ballot_world, make_user, office):
    campaign, ballot, a, b, voters = ballot_world
    for user in (make_user(Role.SUBJECT), make_user(Role.MEMBER), office):
        client.force_login(user)
        response = client.post(
            f"/ballots/{ballot.pk}/vote/",
            {"step": "confirm", f"s{a.pk}": "0", f"s{b.pk}": "0"},
        )
        assert response.status_code == 403
    assert not Participation.objects.exists()
    client.logout()
    assert client.get(f"/ballots/{ballot.pk}/vote/").status_code == 302


def test_no_counts_anywhere_while_open_or_before_publication(
    client, ballot_world, office, make_user
):
    campaign, ballot, a, b, voters = ballot_world
    for voter in voters[:2]:
        cast(actor=voter, ballot=ballot, choices={a.pk: "不满意", b.pk: "不满意"})
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "2 / 3" in page and 'data-testid="results"' not in page
    screen = client.get(f"/ballots/{ballot.pk}/screen.json").json()
    assert screen["voted"] == 2 and screen["results"] == [] and "counts" not in str(screen)
    assert client.get(f"/ballots/{ballot.pk}/results/").status_code == 404
    assert client.get(f"/ballots/{ballot.pk}/results.xlsx").status_code == 404
    assert client.get(f"/admin/ballots/ballot/{ballot.pk}/change/").status_code == 200
    assert not BallotResult.objects.exists()  # nothing countable exists before the close

    close_and_count(actor=office, ballot=ballot)
    # Closed, not yet published: nobody sees a count, the office included.
    for user in (voters[0], office):
        client.force_login(user)
        assert client.get(f"/ballots/{ballot.pk}/results/").status_code == 404
        assert client.get(f"/ballots/{ballot.pk}/results.xlsx").status_code == 404
    assert client.get(f"/ballots/{ballot.pk}/screen.json").json()["results"] == []
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert 'data-testid="sealed"' in page and 'data-testid="results"' not in page
    admin_page = client.get(f"/admin/ballots/ballot/{ballot.pk}/change/").content.decode()
    assert "不满意" not in admin_page.split("测评结果")[-1]
    ballot_publish(actor=office, ballot=ballot)
    client.force_login(voters[0])
    body = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert "金立新" in body and "不满意" in body
    screen_user = make_user(Role.LEADING_GROUP)
    client.force_login(screen_user)
    data = client.get(f"/ballots/{ballot.pk}/screen.json").json()
    assert {r["outcome"] for r in data["results"]} == {"不满意"}  # 2 > 3/2
    assert data["rule"] == ballot.rule_text and data["outcomes"][-1] == "不满意"
    assert "not_voted" not in data  # who has not voted: for the office's control page only
    client.force_login(make_user(Role.SUBJECT))
    assert client.get(f"/ballots/{ballot.pk}/results/").status_code == 403


def test_big_screen_shows_the_voting_qr_code_turnout_and_quorum(client, ballot_world, office):
    campaign, ballot, a, b, voters = ballot_world
    cast(actor=voters[0], ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/screen/").content.decode()
    assert 'data-testid="screen-qr"' in page and "<svg" in page
    assert f"/ballots/{ballot.pk}/vote/" in page
    assert "vendor/echarts/echarts.min.js" in page and "cdn" not in page.lower()
    data = client.get(f"/ballots/{ballot.pk}/screen.json").json()
    assert (data["voted"], data["eligible"], data["quorum"]) == (1, 3, ballot.quorum)
    assert len(data["not_voted"]) == 2
    assert not {"options", "outcomes", "rule", "valid"} & data.keys()


def test_results_page_counts_follow_the_options_and_the_rule_is_said_once(
    client, ballot_world, office
):
    campaign, ballot, a, b, voters = ballot_world
    for voter, choice in zip(voters, ("满意", "基本满意", "不满意"), strict=True):
        cast(actor=voter, ballot=ballot, choices={a.pk: choice, b.pk: "不满意"})
    close_and_count(actor=office, ballot=ballot)
    ballot_publish(actor=office, ballot=ballot)
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert page.count(ballot.rule_text) == 1
    assert 'id="chart-data"' in page and 'class="text-danger">不满意' in page


def test_results_excel_matches_stored_results(client, ballot_world, office):
    campaign, ballot, a, b, voters = ballot_world
    votes = [("满意", "不满意"), ("基本满意", "不满意"), ("满意", "满意")]
    ballot_advance(ballot, to=BallotStatus.PUBLISHED, votes=votes, voters=voters, actor=office)
    client.force_login(office)
    response = client.get(f"/ballots/{ballot.pk}/results.xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = xlsx_download(response).worksheets[0]
    assert sheet.title == "测评结果统计表"
    assert sheet["A1"].value == f"{campaign.name} {ballot} 测评结果统计表"
    assert sheet["A2"].value.startswith("组成人员总数 3 人；网上投票 3 人；规则：")
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]] == [
        "排名",
        "评议对象",
        "单位及职务",
        "满意",
        "基本满意",
        "不满意",
        "有效票",
        "满意率（%）",
        "测评结果",
    ]
    assert sheet["H4"].number_format == "0.00"
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    assert len(rows) == 2
    assert rows[0][:3] == [1, "金立新", f"{a.unit.name}{a.post}"] and rows[0][3:] == [
        2,
        1,
        0,
        3,
        100,
        "满意",
    ]
    assert rows[1][1] == "唐晓云" and rows[1][3:6] == [1, 0, 2] and rows[1][-1] == "不满意"


def test_stored_results_are_read_only_in_admin(client, ballot_world, office):
    campaign, ballot, a, b, voters = ballot_world
    close_and_count(actor=office, ballot=ballot)
    client.force_login(office)
    assert (
        client.post(f"/admin/ballots/ballot/{ballot.pk}/change/", {"name": "改名"}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/ballots/ballot/{ballot.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/ballots/vote/").status_code == 404


def test_office_buttons_and_paper_entry(client, ballot_world, office):
    campaign, ballot, a, b, voters = ballot_world
    client.force_login(office)
    group = ballot.voter_groups.get()
    data = browser_data(
        client,
        f"/ballots/{ballot.pk}/",
        f"/ballots/{ballot.pk}/paper/",
        voter_group=str(group.pk),
        issued="2",
        returned="3",
    )
    response = client.post(f"/ballots/{ballot.pk}/paper/", data, follow=True)
    assert "收回票数 3 多于发出票数 2" in response.content.decode()
    data.update({"returned": "2", f"c_{a.pk}_0": "2", f"c_{b.pk}_0": "1", f"c_{b.pk}_invalid": "1"})
    response = client.post(f"/ballots/{ballot.pk}/paper/", data, follow=True)
    assert "第一次录入已保存，请另一名工作人员进行第二次录入核对" in response.content.decode()
    # One typing is not a count: closing waits for the second, by someone else.
    response = client.post(f"/ballots/{ballot.pk}/move/counting/", follow=True)
    assert "纸质票只录入了一次" in response.content.decode()
    client.force_login(office_user())
    second = browser_data(client, f"/ballots/{ballot.pk}/", f"/ballots/{ballot.pk}/paper/")
    assert second["entry"] == "2"  # the page offers the second entry to another user
    second.update({k: v for k, v in data.items() if k != "csrfmiddlewaretoken" and k != "entry"})
    response = client.post(f"/ballots/{ballot.pk}/paper/", second, follow=True)
    assert "两次录入一致，已计入测评" in response.content.decode()
    assert client.get(f"/ballots/{ballot.pk}/move/counting/").status_code == 405  # POST only
    # Publishing is never one click: only after the preview of the public text
    # (tests/ballots/test_open_and_publish_guards.py), and never from open.
    response = client.post(f"/ballots/{ballot.pk}/move/published/", follow=True)
    assert "公布结果须先预览公布文本" in response.content.decode()
    response = client.post(
        f"/ballots/{ballot.pk}/publish/preview/", {"step": "preview"}, follow=True
    )
    assert "只有已计票、尚未公布的测评可以预览公布文本" in response.content.decode()
    # Counting is never a button: only the k-th teller's decryption makes that move.
    response = client.post(f"/ballots/{ballot.pk}/move/closed/", follow=True)
    assert "未知操作" in response.content.decode()
    response = client.post(f"/ballots/{ballot.pk}/move/counting/", follow=True)
    assert "已结束投票" in response.content.decode()
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    assert result.paper_counts["满意"] == 2


def test_member_asks_office_records_answer(client, ballot_world, office):
    campaign, ballot, a, b, voters = ballot_world
    meeting = ReviewMeetingFactory(campaign=campaign)
    AgendaItemFactory(meeting=meeting, subject=a, position=1)
    client.force_login(voters[0])
    client.post(
        f"/meetings/{meeting.pk}/inquiries/",
        {"subject": a.pk, "question": "项目审批提速有何举措？"},
    )
    response = client.post(
        f"/meetings/{meeting.pk}/inquiries/",
        {"subject": b.pk, "question": "书面述职对象"},
        follow=True,
    )
    assert "只能向本次会议现场述职的评议对象提出询问" in response.content.decode()
    inquiry = Inquiry.objects.get()
    answer = f"/meetings/{meeting.pk}/inquiries/{inquiry.pk}/answer/"
    assert client.post(answer, {"answer": "x"}).status_code == 403
    client.force_login(office)
    client.post(answer, {"answer": "推行并联审批"})
    inquiry.refresh_from_db()
    assert inquiry.answer == "推行并联审批" and inquiry.answer_recorded_by == office
    assert "推行并联审批" in client.get(f"/meetings/{meeting.pk}/").content.decode()
