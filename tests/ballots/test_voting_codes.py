"""Voters without accounts (deputies, 人大代表) vote on the web with one-time voting codes
(投票码), in their group's weight: codes stored only as keyed hashes, one sheet per code
however many confirms race, casts racing the close counted or refused never lost, copied
or re-labelled sheets refused, the record and both verifiers counting sheets per group."""

import copy
import json
import re
import subprocess
import sys
import threading
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import resolve

from ballots.browser import sheet_for
from ballots.models import (
    VOTING_CODE_ALPHABET,
    VOTING_CODE_LENGTH,
    Ballot,
    BallotResult,
    Participation,
    SealedSheet,
    VoterGroup,
    VotingCode,
)
from ballots.selectors import ballot_turnout_by_group
from ballots.services import ballot_check, ballot_close, ballot_publish, ballot_verify
from ballots.services.cast import (
    CODE_USED,
    SHEET_REFUSED,
    SHEET_REPEATED,
    CodeRefused,
    ballot_cast_code,
    code_digest,
)
from ballots.services.codes import voting_codes_issue
from ballots.services.record import ballot_record
from core.errors import ApplicationError
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    cast,
    close_and_count,
    code_cast,
    open_ballot,
    tellers_count,
    voting_codes_for,
)
from tools.verify_ballot import check

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections"
)


@pytest.fixture
def world(office):
    """Five members (weight 1) and deputies (weight 1/2) who vote with codes."""
    campaign = CampaignFactory(actor=office, composition_size=5)
    a = SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    b = SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    members = [m.user for m in MemberFactory.create_batch(5)]
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="述职评议满意度测评",
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    return ballot, a, b, members


def test_codes_are_random_shown_once_and_stored_only_as_keyed_hashes(office, world):
    ballot, *_ = world
    codes = voting_codes_for(ballot, count=40)
    assert len(set(codes)) == 40
    assert all(len(c) == VOTING_CODE_LENGTH and set(c) <= set(VOTING_CODE_ALPHABET) for c in codes)
    rows = VotingCode.objects.filter(ballot=ballot)
    assert rows.count() == 40 and not rows.filter(used=True).exists()
    stored = json.dumps(list(rows.values()), default=str)
    assert not any(c in stored for c in codes), "no code in clear"
    # Keyed: the digest is not the code's plain SHA-256 (a dump alone gives no code).
    import hashlib

    assert {r.digest for r in rows} == {code_digest(c) for c in codes}
    assert not rows.filter(digest__in=[hashlib.sha256(c.encode()).hexdigest() for c in codes])
    deputies = VoterGroup.objects.get(ballot=ballot, name="人大代表")
    assert deputies.web_voting
    # Typed as printed or not: lower case, spaces and dashes are forgiven.
    typed = f"{codes[0][:4].lower()} {codes[0][4:8]}-{codes[0][8:]}"
    assert code_digest(typed) == code_digest(codes[0])


def test_codes_only_for_a_group_without_accounts_before_the_close(office, world, member_user):
    ballot, *_ = world
    committee = ballot.voter_groups.get(is_committee=True)
    deputies = ballot.voter_groups.get(name="人大代表")
    with pytest.raises(ApplicationError, match="本人账号"):
        voting_codes_issue(actor=office, ballot=ballot, voter_group=committee, count=3)
    with pytest.raises(ApplicationError, match="1 至 500"):
        voting_codes_issue(actor=office, ballot=ballot, voter_group=deputies, count=0)
    with pytest.raises(ApplicationError, match="只有评议办公室"):
        voting_codes_issue(actor=member_user, ballot=ballot, voter_group=deputies, count=3)
    other = BallotFactory(campaign=ballot.campaign, actor=office, name="另一测评")
    with pytest.raises(ApplicationError, match="不属于"):
        voting_codes_issue(actor=office, ballot=other, voter_group=deputies, count=3)
    assert not VotingCode.objects.exists() and not deputies.web_voting
    voting_codes_for(ballot, count=2)
    ballot = close_and_count(actor=office, ballot=open_ballot(actor=office, ballot=ballot))
    with pytest.raises(ApplicationError, match="已结束投票"):
        voting_codes_issue(actor=office, ballot=ballot, voter_group=deputies, count=3)
    assert VotingCode.objects.count() == 2


def test_codes_vote_once_in_their_groups_weight_and_the_record_counts_per_group(
    office, world, tmp_path, capsys
):
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=4)
    ballot = open_ballot(actor=office, ballot=ballot)
    for member, (va, vb) in zip(
        members, [("满意", "不满意"), ("满意", "满意"), ("基本满意", "不满意")], strict=False
    ):
        cast(actor=member, ballot=ballot, choices={a: va, b: vb})
    receipts = [
        code_cast(code=codes[0], ballot=ballot, choices={a: "不满意", b: "不满意"}),
        code_cast(code=codes[1], ballot=ballot, choices={a: "不满意", b: "满意"}),
    ]
    with pytest.raises(ApplicationError, match=CODE_USED):
        code_cast(code=codes[0], ballot=ballot, choices={a: "满意", b: "满意"})
    with pytest.raises(CodeRefused):
        ballot_cast_code(code="ABCDEFGHJKLM", sheet=sheet_for(ballot, {a.pk: "满意", b.pk: "满意"}))
    turnout = {g["name"]: (g["voted"], g["eligible"]) for g in ballot_turnout_by_group(ballot)}
    assert turnout == {"常委会组成人员": (3, 5), "人大代表": (2, 4)}
    # No participation for a code: codes are not members.
    assert Participation.objects.filter(ballot=ballot).count() == 3
    assert SealedSheet.objects.filter(ballot=ballot).count() == 5

    ballot = close_and_count(actor=office, ballot=ballot)
    ballot = ballot_publish(actor=office, ballot=ballot)
    assert ballot.web_participants == 5 and ballot.is_valid  # the quorum counts members only
    first = BallotResult.objects.get(ballot=ballot, subject=a)
    # Members 2 满意 + 1 基本满意 (weight 1), deputies 2 不满意 (weight 1/2).
    assert first.web_group_counts == {
        "常委会组成人员": {"满意": 2, "基本满意": 1, "不满意": 0},
        "人大代表": {"满意": 0, "基本满意": 0, "不满意": 2},
    }
    assert first.web_counts == {"满意": 2, "基本满意": 1, "不满意": 2}
    assert first.counts == {"满意": 2, "基本满意": 1, "不满意": 1}
    assert first.committee_counts == {"满意": 2, "基本满意": 1, "不满意": 0}
    # Issued: 5 eligible members + 4 deputies' codes at 1/2; cast: 3 + 2 at 1/2.
    assert first.bases["weighted"]["issued"] == 7 and first.bases["weighted"]["cast"] == 4
    assert Fraction(str(first.rate)) == Fraction(75)  # (2 + 1) / 4 valid
    second = BallotResult.objects.get(ballot=ballot, subject=b)
    assert second.counts == {"满意": 1.5, "基本满意": 0, "不满意": 2.5}

    assert ballot_verify(ballot=ballot) and ballot_check(ballot=ballot) == []
    record = ballot_record(ballot)
    assert record["participations"] == {"常委会组成人员": 3, "人大代表": 2}
    assert [g["name"] for g in record["groups"]] == ["常委会组成人员", "人大代表"]
    deputies_id = ballot.voter_groups.get(name="人大代表").sheet_ballot_id(ballot)
    assert record["groups"][1]["ballot"] == deputies_id != ballot.crypto_id
    assert sorted(s["tracker"] for s in record["sheets"] if s["group"] == "人大代表") == sorted(
        receipts
    )
    assert len(record["tally"]) == 2 * 2  # one sum per group and subject
    deputies = next(g for g in record["rule"]["groups"] if g["name"] == "人大代表")
    assert deputies["codes"] == 4
    assert all(ok for ok, _ in check(record))
    path = tmp_path / "record.json"
    call_command("ballot_record", ballot.pk)
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/verify_ballot.py"), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert "常委会组成人员 3, 人大代表 2" in done.stdout and "PASS" in done.stdout


def test_paper_sheets_of_a_group_with_codes_add_up_in_its_weight(office, world):
    from tests.factories import PaperTallyFactory

    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=2)
    deputies = ballot.voter_groups.get(name="人大代表")
    PaperTallyFactory(  # typed twice by two office users, agreeing
        actor=office,
        ballot=ballot,
        voter_group=deputies,
        issued=4,
        returned=4,
        counts={a.pk: {"满意": 4}, b.pk: {"满意": 3, "invalid": 1}},
    )
    ballot = open_ballot(actor=office, ballot=ballot)
    cast(actor=members[0], ballot=ballot, choices={a: "满意", b: "满意"})
    code_cast(code=codes[0], ballot=ballot, choices={a: "不满意", b: "不满意"})
    ballot = ballot_publish(actor=office, ballot=close_and_count(actor=office, ballot=ballot))
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    assert result.counts == {"满意": 3, "基本满意": 0, "不满意": 0.5}
    # Issued: 5 members + (2 codes + 4 sheets) × 1/2; cast: 1 + (1 + 4) × 1/2.
    assert result.bases["weighted"]["issued"] == 8 and result.bases["weighted"]["cast"] == 3.5
    assert ballot_verify(ballot=ballot)


def test_sheets_copied_or_made_for_another_group_are_refused_and_the_code_stays_unused(
    office, world
):
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=2)
    ballot = open_ballot(actor=office, ballot=ballot)
    deputies = ballot.voter_groups.get(name="人大代表")
    # A member's sheet (bound to the committee) posted with a deputy's code: its proofs
    # name another group, so it is refused — a sheet cannot change its weight.
    committee_sheet = sheet_for(ballot, {a.pk: "满意", b.pk: "满意"})
    with pytest.raises(ApplicationError, match=SHEET_REFUSED):
        ballot_cast_code(code=codes[0], sheet=committee_sheet)
    # And a deputies' sheet posted by a member.
    from ballots.services import ballot_cast

    deputy_sheet = sheet_for(ballot, {a.pk: "不满意", b.pk: "不满意"}, group=deputies)
    with pytest.raises(ApplicationError, match=SHEET_REFUSED):
        ballot_cast(actor=members[0], ballot=ballot, sheet=deputy_sheet)
    # A copy of a counted sheet is refused, and the code can still vote.
    ballot_cast_code(code=codes[0], sheet=deputy_sheet)
    with pytest.raises(ApplicationError, match=SHEET_REPEATED):
        ballot_cast_code(code=codes[1], sheet=deputy_sheet)
    assert not VotingCode.objects.get(digest=code_digest(codes[1])).used
    code_cast(code=codes[1], ballot=ballot, choices={a: "满意", b: "满意"})
    assert VotingCode.objects.filter(ballot=ballot, used=True).count() == 2
    assert SealedSheet.objects.filter(ballot=ballot, voter_group=deputies).count() == 2
    assert not Participation.objects.filter(ballot=ballot).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirms_with_one_code_count_once(office, world):
    ballot, a, b, members = world
    (code,) = voting_codes_for(ballot, count=1)
    ballot = open_ballot(actor=office, ballot=ballot)
    deputies = ballot.voter_groups.get(name="人大代表")
    sheets = [sheet_for(ballot, {a.pk: "满意", b.pk: "满意"}, group=deputies) for _ in range(50)]
    barrier = threading.Barrier(50)
    outcomes = []

    def submit(sheet):
        try:
            barrier.wait()
            outcomes.append(ballot_cast_code(code=code, sheet=sheet))
        except ApplicationError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(s,)) for s in sheets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    receipts = [o for o in outcomes if isinstance(o, str)]
    refusals = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(receipts) == 1 and len(refusals) == 49
    assert all(r.message == CODE_USED for r in refusals)
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1
    assert VotingCode.objects.filter(ballot=ballot, used=True).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_code_casts_racing_the_close_are_counted_or_refused_never_lost(office, world):
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=20)
    ballot = open_ballot(actor=office, ballot=ballot)
    barrier = threading.Barrier(len(codes) + 1)
    outcomes = []

    def vote(code):
        try:
            barrier.wait()
            code_cast(code=code, ballot=ballot, choices={a: "满意", b: "不满意"})
            outcomes.append("cast")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    def close():
        try:
            barrier.wait()
            ballot_close(actor=office, ballot=ballot)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(c,)) for c in codes]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cast_count = outcomes.count("cast")
    assert cast_count + outcomes.count("refused") == len(codes)
    assert VotingCode.objects.filter(ballot=ballot, used=True).count() == cast_count
    tellers_count(Ballot.objects.get(pk=ballot.pk))
    ballot = ballot_publish(actor=office, ballot=Ballot.objects.get(pk=ballot.pk))
    assert ballot.web_participants == cast_count
    assert SealedSheet.objects.filter(ballot=ballot).count() == cast_count
    for result in BallotResult.objects.filter(ballot=ballot, subject=a):
        assert result.web_group_counts["人大代表"] == {
            "满意": cast_count,
            "基本满意": 0,
            "不满意": 0,
        }
    assert ballot_check(ballot=ballot) == []


@pytest.fixture
def published(office, world):
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=3)
    ballot = open_ballot(actor=office, ballot=ballot)
    for member in members[:3]:
        cast(actor=member, ballot=ballot, choices={a: "满意", b: "基本满意"})
    for code in codes[:2]:
        code_cast(code=code, ballot=ballot, choices={a: "不满意", b: "不满意"})
    ballot = ballot_publish(actor=office, ballot=close_and_count(actor=office, ballot=ballot))
    assert ballot_verify(ballot=ballot)
    return ballot, a, b


def _move_a_deputys_sheet_to_the_committee(ballot, a, b):
    deputies = VoterGroup.objects.get(ballot=ballot, name="人大代表")
    committee = VoterGroup.objects.get(ballot=ballot, is_committee=True)
    sheet = SealedSheet.objects.filter(ballot=ballot, voter_group=deputies).first()
    sheet.voter_group = committee
    sheet.save()


def _and_count_one_participation_more(ballot, a, b):
    _move_a_deputys_sheet_to_the_committee(ballot, a, b)
    Participation.objects.create(ballot=ballot, user=MemberFactory().user)
    VotingCode.objects.filter(ballot=ballot, used=True).first().delete()


def _edit_a_groups_web_count(ballot, a, b):
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    counts = copy.deepcopy(result.web_group_counts)
    counts["人大代表"]["不满意"] -= 1
    counts["人大代表"]["满意"] += 1
    result.web_group_counts = counts
    result.save()


def _use_one_more_code(ballot, a, b):
    VotingCode.objects.filter(ballot=ballot, used=False).update(used=True)


def _change_a_groups_weight(ballot, a, b):
    VoterGroup.objects.filter(ballot=ballot, name="人大代表").update(weight=Decimal(1))


TAMPERING = {
    "a deputy's sheet moved to the committee": (_move_a_deputys_sheet_to_the_committee, "sheets of"),  # noqa: E501
    "…with the participations made to match": (_and_count_one_participation_more, "another ballot or voter group"),  # noqa: E501
    "a group's web count edited": (_edit_a_groups_web_count, "electronic counts of 人大代表"),
    "one more code marked used": (_use_one_more_code, "sheets of 人大代表"),
    "a group's weight changed": (_change_a_groups_weight, "another ballot or voter group"),
}  # fmt: skip


@pytest.mark.parametrize("name", TAMPERING)
def test_moving_or_editing_a_groups_sheets_or_counts_is_caught(published, name):
    ballot, a, b = published
    tamper, words = TAMPERING[name]
    tamper(ballot, a, b)
    problems = ballot_check(ballot=ballot)
    assert problems and words in problems[-1], (name, problems)


def test_the_independent_verifier_refuses_a_record_with_a_sheet_relabelled(published):
    ballot, *_ = published
    record = ballot_record(ballot)
    assert all(ok for ok, _ in check(record))
    edited = copy.deepcopy(record)
    deputy = next(s for s in edited["sheets"] if s["group"] == "人大代表")
    deputy["group"] = "常委会组成人员"
    edited["participations"] = {"常委会组成人员": 4, "人大代表": 1}
    lines = check(edited)
    assert not lines[-1][0] and "another ballot or voter group" in lines[-1][1]
    edited = copy.deepcopy(record)
    edited["groups"][1]["ballot"] = ballot.crypto_id
    lines = check(edited)
    assert not lines[-1][0] and "sheet ballot id" in lines[-1][1]
    # The deputies' weight raised to the members' in the record's rule (results to match
    # would be recomputed by anyone): the sheets were bound to the weight they had.
    edited = copy.deepcopy(record)
    next(g for g in edited["rule"]["groups"] if g["name"] == "人大代表")["weight"] = "1.00"
    lines = check(edited)
    assert not lines[-1][0] and "not made for its name and weight 1.00" in lines[-1][1]


# --- Over HTTP: the phone page, the throttle, the slips, the turnout ------------------------
def _page_crypto(html: str) -> dict:
    found = re.search(r'<script id="ballot-crypto" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_a_code_opens_the_voting_page_without_login_and_votes_once(office, world):
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=2)
    ballot = open_ballot(actor=office, ballot=ballot)
    deputies = ballot.voter_groups.get(name="人大代表")
    phone = Client()
    entry = phone.get("/vote/")
    assert entry.status_code == 200 and 'name="c"' in entry.content.decode()
    page = phone.get(f"/vote/?c={codes[0]}")
    html = page.content.decode()
    assert page.status_code == 200 and "人大代表（凭投票码）" in html
    crypto = _page_crypto(html)
    assert crypto["ballot_id"] == deputies.sheet_ballot_id(ballot)
    assert crypto["joint_key"] == ballot.joint_key
    assert f'name="code" value="{codes[0]}"' in html
    sheet = sheet_for(ballot, {a.pk: "满意", b.pk: "不满意"}, group=deputies)
    done = phone.post("/vote/", {"code": codes[0], "step": "confirm", "sheet": sheet})
    assert done.status_code == 200 and "投票成功" in done.content.decode()
    assert "返回我的工作" not in done.content.decode()
    again = phone.post("/vote/", {"code": codes[0], "step": "confirm", "sheet": sheet})
    assert "已经投过票" in again.content.decode()
    assert phone.get(f"/vote/?c={codes[0]}").content.decode().count("已经投过票") == 1
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1
    # No sheet: refused with the page's message, nothing written, the code unused.
    refused = phone.post("/vote/", {"code": codes[1], "step": "confirm", "sheet": ""})
    assert refused.status_code == 400
    assert not VotingCode.objects.get(digest=code_digest(codes[1])).used


def test_unknown_codes_are_throttled_before_any_code_is_looked_at(office, world, settings):
    settings.QUESTIONNAIRE_CODE_FAILURE_LIMIT = 3
    ballot, a, b, members = world
    (code,) = voting_codes_for(ballot, count=1)
    ballot = open_ballot(actor=office, ballot=ballot)
    phone = Client()
    for guess in ("AAAA2222BBBB", "CCCC3333DDDD", "EEEE4444FFFF"):
        response = phone.get(f"/vote/?c={guess}")
        assert response.status_code == 400 and "投票码不正确" in response.content.decode()
    held = phone.get(f"/vote/?c={code}")
    assert held.status_code == 429 and "请稍后再试" in held.content.decode()
    deputies = ballot.voter_groups.get(name="人大代表")
    sheet = sheet_for(ballot, {a.pk: "满意", b.pk: "满意"}, group=deputies)
    assert (
        phone.post("/vote/", {"code": code, "step": "confirm", "sheet": sheet}).status_code == 429
    )
    assert not VotingCode.objects.filter(used=True).exists()
    # Another address is not held up; a used code is no guess and is not counted.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert (
        other.post("/vote/", {"code": code, "step": "confirm", "sheet": sheet}).status_code == 200
    )
    for _ in range(4):
        assert other.get(f"/vote/?c={code}").status_code == 200


def test_the_office_issues_codes_and_gets_printable_slips_with_qr_and_link(client, office, world):
    ballot, *_ = world
    deputies = ballot.voter_groups.get(name="人大代表")
    client.force_login(office)
    detail = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "开通网上投票，生成投票码" in detail
    response = client.post(f"/ballots/{ballot.pk}/codes/", {"voter_group": deputies.pk, "count": 3})
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    codes = re.findall(r'data-testid="voting-code">([A-Z0-9]+)<', html)
    assert len(codes) == 3 and html.count("<svg") == 3
    assert all(f"http://testserver/vote/?c={c}" in html for c in codes)
    assert {code_digest(c) for c in codes} == set(
        VotingCode.objects.values_list("digest", flat=True)
    )
    assert deputies.name in html and "只在本页显示这一次" in html
    # Bad input: a message, nothing written.
    refused = client.post(f"/ballots/{ballot.pk}/codes/", {"voter_group": deputies.pk, "count": 0})
    assert refused.status_code == 400 and VotingCode.objects.count() == 3
    committee = ballot.voter_groups.get(is_committee=True)
    client.post(f"/ballots/{ballot.pk}/codes/", {"voter_group": committee.pk, "count": 2})
    assert VotingCode.objects.count() == 3


def test_turnout_per_group_on_the_control_page_and_the_big_screen(client, office, world):
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=3)
    ballot = open_ballot(actor=office, ballot=ballot)
    cast(actor=members[0], ballot=ballot, choices={a: "满意", b: "满意"})
    code_cast(code=codes[0], ballot=ballot, choices={a: "满意", b: "满意"})
    client.force_login(office)
    detail = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert 'data-group-turnout="人大代表">1 / 3<' in detail
    assert 'data-group-turnout="常委会组成人员">1 / 5<' in detail
    data = client.get(f"/ballots/{ballot.pk}/screen.json").json()
    assert data["groups"] == [
        {"name": "常委会组成人员", "voted": 1, "eligible": 5},
        {"name": "人大代表", "voted": 1, "eligible": 3},
    ]
    assert data["voted"] == 1 and data["eligible"] == 5  # the ring: members, for the quorum


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_through_the_pages_no_sheet_shares_a_transaction_with_its_voters_record(office, world):
    """The voting pages keep out of the request's transaction (core.transactions): over
    HTTP too, THAT a member or a code voted and the sheet are committed apart."""
    ballot, a, b, members = world
    codes = voting_codes_for(ballot, count=2)
    ballot = open_ballot(actor=office, ballot=ballot)
    deputies = ballot.voter_groups.get(name="人大代表")
    for member in members[:2]:
        phone = Client()
        phone.force_login(member)
        sheet = sheet_for(ballot, {a.pk: "满意", b.pk: "不满意"})
        done = phone.post(f"/ballots/{ballot.pk}/vote/", {"step": "confirm", "sheet": sheet})
        assert "投票成功" in done.content.decode()
    for code in codes:
        sheet = sheet_for(ballot, {a.pk: "不满意", b.pk: "满意"}, group=deputies)
        done = Client().post("/vote/", {"code": code, "step": "confirm", "sheet": sheet})
        assert "投票成功" in done.content.decode()

    def xmins(sql: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [ballot.pk])
            return {r[0] for r in cursor.fetchall()}

    voted = xmins("SELECT xmin::text FROM ballots_participation WHERE ballot_id = %s")
    used = xmins("SELECT xmin::text FROM ballots_votingcode WHERE ballot_id = %s AND used")
    sheets = xmins("SELECT xmin::text FROM ballots_sealedsheet WHERE ballot_id = %s")
    assert len(voted) == 2 and len(used) == 2 and len(sheets) == 4
    assert not (voted | used) & sheets
    # Inside the request's transaction each write would be a subtransaction with an xmin of
    # its own, but one commit record in the WAL would list them together: the pages opt out.
    for path in (f"/ballots/{ballot.pk}/vote/", "/vote/"):
        assert resolve(path).func._non_atomic_requests == {"default"}
