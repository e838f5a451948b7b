"""Paper ballots: the printed sheets and counting form (one PDF per voter group), and the
paper totals typed twice by two office users, compared field by field, counted only once
they agree; through the services, HTTP and the election record."""

import copy
import shutil
import subprocess
from decimal import Decimal

import pytest

from ballots.models import BallotResult, BallotStatus, PaperEntry, PaperTally
from ballots.selectors import paper_groups, paper_pending
from ballots.services import ballot_close, ballot_publish, paper_enter
from ballots.services.record import ballot_record
from core.documents import document_for, document_render
from core.errors import ApplicationError
from core.models import AuditEntry, DocumentStatus
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    ballot_advance,
    tellers_count,
)
from tests.factories.base import office_user
from tests.forms import page_forms
from tools.verify_ballot import check as record_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office):
    campaign = CampaignFactory(actor=office, composition_size=3, name="2017年度述职评议")
    a = SubjectFactory(campaign=campaign, person_name="金立新", post="局长", position=1)
    b = SubjectFactory(campaign=campaign, person_name="唐晓云", post="局长", position=2)
    MemberFactory.create_batch(3)
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="述职评议满意度测评",
        abstain_allowed=True,
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    deputies = ballot.voter_groups.get(name="人大代表")
    return ballot, deputies, a, b


def _enter(actor, ballot, group, number, issued, returned, counts):
    return paper_enter(
        actor=actor,
        ballot=ballot,
        voter_group=group,
        number=number,
        issued=issued,
        returned=returned,
        counts=counts,
    )


def test_counting_form_checks_write_nothing_on_refusal(office, world):
    ballot, deputies, a, b = world
    with pytest.raises(ApplicationError, match="收回票数 11 多于发出票数 10"):
        _enter(office, ballot, deputies, 1, 10, 11, {a.pk: {"满意": 11}, b.pk: {"满意": 11}})
    # Each subject's marks, 弃权 and the invalid sheets included, must add up to returned:
    # the message names the subject and every field.
    with pytest.raises(ApplicationError) as refused:
        _enter(
            office,
            ballot,
            deputies,
            1,
            10,
            10,
            {a.pk: {"满意": 5, "弃权": 2, "invalid": 1}, b.pk: {"满意": 10}},
        )
    message = refused.value.message
    assert (
        "金立新（“满意” 5、“基本满意” 0、“不满意” 0、“弃权” 2、无效票 1，合计 8，应为 10）"
        in message
    )
    assert "唐晓云" not in message
    assert not PaperEntry.objects.exists() and not PaperTally.objects.exists()
    assert not AuditEntry.objects.filter(action="ballot.paper").exists()


def test_same_user_cannot_make_both_entries(office, world):
    ballot, deputies, a, b = world
    counts = {a.pk: {"满意": 8, "弃权": 2}, b.pk: {"满意": 10}}
    with pytest.raises(ApplicationError, match="还没有第一次录入"):
        _enter(office, ballot, deputies, 2, 12, 10, counts)
    _enter(office, ballot, deputies, 1, 12, 10, counts)
    with pytest.raises(
        ApplicationError, match="第一次录入是您做的，第二次录入须由另一名工作人员完成"
    ):
        _enter(office, ballot, deputies, 2, 12, 10, counts)
    assert PaperEntry.objects.count() == 1 and not PaperTally.objects.exists()
    assert paper_pending(ballot) == ["人大代表纸质票只录入了一次，须由另一名工作人员再录入一次核对"]
    # The author may redo their own first entry; it is still one person's typing.
    _enter(office, ballot, deputies, 1, 12, 10, counts)
    assert PaperEntry.objects.count() == 1 and not PaperTally.objects.exists()


def test_mismatch_is_shown_and_blocks_counting_until_an_entry_is_redone(office, world):
    ballot, deputies, a, b = world
    clerk, third = office_user(), office_user()
    right = {a.pk: {"满意": 6, "不满意": 3, "invalid": 1}, b.pk: {"满意": 10}}
    wrong = {a.pk: {"满意": 7, "不满意": 2, "invalid": 1}, b.pk: {"满意": 10}}
    _enter(office, ballot, deputies, 1, 12, 10, right)
    _enter(clerk, ballot, deputies, 2, 12, 10, wrong)
    [_, state] = paper_groups(ballot)
    assert state.differences == [
        "金立新“满意”：第一次 6，第二次 7",
        "金立新“不满意”：第一次 3，第二次 2",
    ]
    assert not state.agreed and not PaperTally.objects.exists()
    ballot_advance(ballot, to=BallotStatus.OPEN, actor=office)
    with pytest.raises(ApplicationError, match="两次录入不一致（金立新“满意”：第一次 6，第二次 7"):
        ballot_close(actor=office, ballot=ballot)
    # The author of the first entry may not redo the second: that would make both theirs.
    with pytest.raises(ApplicationError, match="须由另一名工作人员完成"):
        _enter(office, ballot, deputies, 2, 12, 10, right)
    # A third office user redoes the second entry from the counting form: now they agree.
    _enter(third, ballot, deputies, 2, 12, 10, right)
    [_, state] = paper_groups(ballot)
    assert state.agreed and state.differences == [] and paper_pending(ballot) == []
    tally = PaperTally.objects.get(voter_group=deputies)
    assert (tally.issued, tally.returned) == (12, 10)
    # A later redo that disagrees takes the counted tally away again.
    _enter(office, ballot, deputies, 1, 13, 10, right)
    assert not PaperTally.objects.exists()
    assert paper_pending(ballot) == [
        "人大代表纸质票两次录入不一致（发出票数：第一次 13，第二次 12）"
    ]
    _enter(office, ballot, deputies, 1, 12, 10, right)
    # Every entry is in the audit with its figures and who typed it.
    entries = list(AuditEntry.objects.filter(action="ballot.paper").order_by("pk"))
    assert [(e.actor, e.data["entry"]) for e in entries] == [
        (office, 1),
        (clerk, 2),
        (third, 2),
        (office, 1),
        (office, 1),
    ]
    assert entries[1].data["counts"]["金立新"] == {
        "满意": 7,
        "基本满意": 0,
        "不满意": 2,
        "弃权": 0,
        "invalid": 1,
    }
    assert "两次录入不一致：金立新“满意”：第一次 6，第二次 7" in entries[1].summary
    assert "两次录入一致，计入测评" in entries[2].summary
    # The count uses the agreed figures: web 满意 ×1 for each of the 3 members, and the
    # deputies' 6 满意 / 3 不满意 at weight 0.5.
    ballot = ballot_close(actor=office, ballot=_voted(ballot, office))
    tellers_count(ballot)
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    assert result.paper_counts == {"满意": 6, "基本满意": 0, "不满意": 3, "弃权": 0}
    assert result.counts["满意"] == 6.0 and result.counts["不满意"] == 1.5
    # The election record carries both entries; the verifier checks they are what counted.
    ballot_publish(actor=office, ballot=ballot)
    record = ballot_record(ballot)
    group = next(g for g in record["rule"]["groups"] if g["name"] == "人大代表")
    assert len(group["paper_entries"]) == 2 and group["paper_entries"][0]["invalid"] == [1, 0]
    assert all(ok for ok, _ in record_check(record)), record_check(record)
    assert any("1 entered twice and agreeing" in line for _, line in record_check(record))
    tampered = copy.deepcopy(record)
    entry = next(g for g in tampered["rule"]["groups"] if g["name"] == "人大代表")
    entry["paper_entries"][1]["counts"][0][0] = 7
    assert record_check(tampered)[-1] == (
        False,
        "voter group 人大代表: the two paper entries differ in counts",
    )
    tampered = copy.deepcopy(record)
    entry = next(g for g in tampered["rule"]["groups"] if g["name"] == "人大代表")
    entry["returned"], entry["issued"] = 13, 12
    assert record_check(tampered)[-1] == (
        False,
        "voter group 人大代表: 13 paper sheets returned of 12 issued",
    )


def _voted(ballot, office):
    return ballot_advance(ballot, to=BallotStatus.OPEN, votes=["满意"] * 3, actor=office)


def _group_form(client, page, action, group, **typed) -> dict:
    """What the browser sends from the voter group's own paper form on the ballot's page."""
    html = client.get(page).content.decode()
    for form in page_forms(html, page):
        pairs = dict(form.browser_pairs())
        if form.action == action and pairs.get("voter_group") == str(group.pk):
            return {**pairs, **typed}
    raise AssertionError(f"no paper form of {group.name}")


def test_double_entry_over_http(client, office, world):
    ballot, deputies, a, b = world
    page, action = f"/ballots/{ballot.pk}/", f"/ballots/{ballot.pk}/paper/"
    typed = {
        "voter_group": str(deputies.pk),
        "issued": "12",
        "returned": "10",
        f"c_{a.pk}_0": "6",
        f"c_{a.pk}_2": "3",
        f"c_{a.pk}_invalid": "1",
        f"c_{b.pk}_0": "10",
    }
    client.force_login(office)
    data = _group_form(client, page, action, deputies, **typed)
    assert data["entry"] == "1"
    response = client.post(action, data, follow=True)
    assert "人大代表纸质票第一次录入已保存" in response.content.decode()
    # The same user again, as the second entry: refused, nothing written.
    response = client.post(action, {**data, "entry": "2"}, follow=True)
    assert "第一次录入是您做的，第二次录入须由另一名工作人员完成" in response.content.decode()
    assert PaperEntry.objects.count() == 1
    # A second user types one box wrong: the page names the subject, option and figures.
    client.force_login(office_user())
    second = _group_form(client, page, action, deputies, **{**typed, f"c_{a.pk}_0": "5"})
    assert second["entry"] == "2"  # offered the second entry, as another user
    second[f"c_{a.pk}_invalid"] = "2"
    response = client.post(action, second, follow=True)
    html = response.content.decode()
    assert "两次录入不一致，暂不计入测评" in html
    assert "金立新“满意”：第一次 6，第二次 5" in html and "金立新无效票：第一次 1，第二次 2" in html
    assert 'data-testid="paper-differences"' in html
    # Marks not adding up are refused with the subject named, and change nothing.
    response = client.post(action, {**second, f"c_{b.pk}_0": "9"}, follow=True)
    assert "唐晓云（“满意” 9" in response.content.decode()
    assert "合计 9，应为 10" in response.content.decode()
    assert PaperEntry.objects.get(number=2).counts[str(b.pk)]["满意"] == 10
    second.update({f"c_{a.pk}_0": "6", f"c_{a.pk}_invalid": "1"})
    response = client.post(action, second, follow=True)
    assert "人大代表纸质票两次录入一致，已计入测评" in response.content.decode()
    assert 'data-testid="paper-differences"' not in response.content.decode()
    assert PaperTally.objects.get(voter_group=deputies).returned == 10


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by make setup"
)
def test_sheet_and_counting_form_pdf(client, office, world):
    ballot, deputies, a, b = world
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    url = f"/documents/ballot_paper/{deputies.pk}/"
    assert url in page
    response = client.post(url, follow=True)
    assert "纸质测评票和计票单（人大代表）" in response.content.decode()
    # The worker's part (on_commit never runs in these tests).
    document = document_render(
        document_id=document_for(kind="ballot_paper", object_id=deputies.pk).pk
    )
    assert document.status == DocumentStatus.DONE, document.error
    assert document.name == "述职评议满意度测评纸质测评票和计票单（人大代表）.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", document.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    sheet, form = "".join(pages[0].split()), "".join("".join(pages[1:]).split())
    assert "述职评议满意度测评票" in sheet and "测评测评" not in sheet and "（不记名）" in sheet
    for word in ("金立新", "唐晓云", "满意", "基本满意", "不满意", "弃权", "人大代表"):
        assert word in sheet
    assert "本测评票不记名，请勿在票上填写姓名或作任何记号。" in sheet
    assert "只能选一项" in sheet and "可选“弃权”" in sheet
    # Nothing that tells one copy or one voter from another.
    for mark in ("编号", "序号", "No.", "姓名：", "签名", str(ballot.pk) + "号", office.username):
        assert mark not in sheet
    assert ballot.election_id not in text
    # The counting form: every subject and option, invalid and total columns, the checks
    # and the signatures of the tellers.
    assert "述职评议满意度测评纸质票计票单" in form
    for word in ("金立新", "唐晓云", "弃权", "无效票", "合计", "划记", "票数"):
        assert word in form
    assert "发出票数" in form and "收回票数" in form and "收回票数不得多于发出票数" in form
    assert "各选项票数与无效票之和应等于收回票数" in form
    assert "监票人（签名）" in form and "计票人（签名）" in form
    # Only the office prints them.
    client.force_login(MemberFactory().user)
    assert client.get(url).status_code == 403


def _unchecked_tally(ballot, group, subject, issued, returned, counts):
    """A group's paper totals as stored before double entry existed: one typing, straight
    into the counted table, with no PaperEntry behind it."""
    tally = PaperTally.objects.create(
        ballot=ballot, voter_group=group, issued=issued, returned=returned
    )
    for option, n in counts.items():
        tally.counts.create(subject=subject, option=option, count=n)
    return tally


def test_tally_typed_once_blocks_close_and_count_until_entered_twice(office, world):
    ballot, deputies, a, b = world
    _unchecked_tally(ballot, deputies, a, 12, 10, {"满意": 10})
    [_, state] = paper_groups(ballot)
    assert state.unchecked and not state.agreed
    assert paper_pending(ballot) == [
        "人大代表纸质票合计（发出 12 张，收回 10 张）只录入过一次，未经双人录入核对，"
        "须由两名工作人员按计票单分别录入、核对一致后才能计入"
    ]
    ballot = _voted(ballot, office)
    with pytest.raises(ApplicationError, match="只录入过一次，未经双人录入核对"):
        ballot_close(actor=office, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    # The counting step refuses it as well, whatever path reaches it.
    from ballots.services.tellers import ballot_count

    with pytest.raises(ApplicationError, match="纸质票两次录入尚未核对一致，不能计票"):
        ballot_count(actor=office, ballot=ballot, rows=[[3, 0, 0, 0], [3, 0, 0, 0]])
    # A first entry replaces the unchecked tally (its figures kept in the audit); one entry
    # still does not count.
    counts = {a.pk: {"满意": 6, "不满意": 3, "invalid": 1}, b.pk: {"满意": 10}}
    _enter(office, ballot, deputies, 1, 12, 10, counts)
    assert not PaperTally.objects.exists()
    replaced = AuditEntry.objects.get(action="ballot.paper").data["replaced_unchecked_tally"]
    assert replaced == {"issued": 12, "returned": 10, "counts": [["金立新", "满意", 10]]}
    with pytest.raises(ApplicationError, match="人大代表纸质票只录入了一次"):
        ballot_close(actor=office, ballot=ballot)
    # A second office user types the same counting form: now it counts.
    _enter(office_user(), ballot, deputies, 2, 12, 10, counts)
    assert paper_pending(ballot) == []
    ballot = ballot_close(actor=office, ballot=ballot)
    tellers_count(ballot)
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    assert result.paper_counts == {"满意": 6, "基本满意": 0, "不满意": 3, "弃权": 0}


def test_tally_typed_once_refused_over_http(client, office, world):
    ballot, deputies, a, b = world
    _unchecked_tally(ballot, deputies, a, 12, 10, {"满意": 10})
    ballot = _voted(ballot, office)
    client.force_login(office)
    html = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "只录入过一次，未经核对，暂不计入：发出 12，收回 10" in html
    assert "两次录入一致，已计入" not in html
    response = client.post(f"/ballots/{ballot.pk}/move/counting/", follow=True)
    assert response.status_code == 400  # the control page again, with why
    assert (
        "人大代表纸质票合计（发出 12 张，收回 10 张）只录入过一次，未经双人录入核对"
        in response.content.decode()
    )
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and ballot.closed_at is None
