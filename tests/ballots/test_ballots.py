import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from ballots.elgamal.sheet import canonical_json, sheet_encrypt
from ballots.models import (
    Ballot,
    BallotPurpose,
    BallotResult,
    BallotStatus,
    Participation,
    SealedSheet,
    SheetCiphertext,
    VotingCode,
)
from ballots.selectors import ballot_receipts, ballot_results
from ballots.services import (
    ballot_cast,
    ballot_close,
    ballot_discard_practice,
    ballot_new_round,
    ballot_open,
    ballot_publish,
    ballot_remind,
    ballot_verify,
    paper_enter,
)
from core.errors import ApplicationError
from core.keystore import key_exists
from core.models import OutgoingEmail
from core.roles import Role
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    PaperTallyFactory,
    SubjectFactory,
    ballot_advance,
    cast,
    open_ballot,
    tellers_count,
    tellers_ready,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(office):
    campaign = CampaignFactory(actor=office, composition_size=5)
    a = SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    b = SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    members = MemberFactory.create_batch(5)
    MemberFactory(counts_toward_composition=False)  # an attendee: no vote
    ballot = BallotFactory(campaign=campaign, actor=office, name="述职评议满意度测评")
    tellers_ready(ballot, actor=office)
    return campaign, ballot, a, b, [m.user for m in members]


def test_defaults_from_the_campaign(setup):
    campaign, ballot, *_ = setup
    assert ballot.options == ["满意", "基本满意", "不满意"] and ballot.favourable == [
        "满意",
        "基本满意",
    ]
    assert ballot.quorum == 3 and ballot.rule_preset == "default" and ballot.composition_size == 5
    assert ballot.outcomes == ["满意", "基本满意", "不满意"]
    assert ballot.rule_text.startswith("常委会组成人员的不满意票超过组成人员总数的一半")
    assert ballot.voter_groups.get().is_committee


def test_full_cycle_counts_and_hides_until_close(office, setup, django_capture_on_commit_callbacks):
    campaign, ballot, a, b, voters = setup
    with pytest.raises(ApplicationError, match="不在投票时间"):
        cast(actor=voters[0], ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    open_ballot(actor=office, ballot=ballot)
    receipts = []
    for voter, (x, y) in zip(
        voters[:4],
        [("满意", "不满意"), ("满意", "不满意"), ("基本满意", "不满意"), ("不满意", "满意")],
        strict=True,
    ):
        receipts.append(cast(actor=voter, ballot=ballot, choices={a.pk: x, b.pk: y}))
    # While open: encrypted sheets only, nothing countable anywhere, no key on the server.
    assert not BallotResult.objects.exists() and not key_exists(name=f"ballot-{ballot.pk}")
    assert SealedSheet.objects.filter(ballot=ballot).count() == 4
    assert all(
        b"\xe6\xbb\xa1" not in bytes(s.ciphertext) for s in SealedSheet.objects.all()
    )  # no "满" in clear

    ballot = ballot_close(actor=office, ballot=ballot)
    # Closed: the sums wait for the tellers; one teller alone counts nothing.
    assert ballot.status == BallotStatus.COUNTING and not BallotResult.objects.exists()
    with pytest.raises(ApplicationError, match="不在投票时间"):
        cast(actor=voters[4], ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    ballot = tellers_count(ballot, indices=[3])
    assert ballot.status == BallotStatus.COUNTING and not BallotResult.objects.exists()
    ballot = tellers_count(ballot, indices=[1])
    assert ballot.status == BallotStatus.CLOSED and ballot.is_valid
    # Closed but not published: no reader gets anything.
    assert ballot_results(ballot) == [] and ballot_receipts(ballot) == []
    assert not ballot_verify(ballot=ballot)
    results = {r.subject.person_name: r for r in BallotResult.objects.filter(ballot=ballot)}
    assert results["金立新"].counts == {"满意": 2.0, "基本满意": 1.0, "不满意": 1.0}
    # 不满意 1 is not more than half of 5; (2 + 1) / 4 = 75 % is below 80 %: 基本满意.
    assert results["金立新"].outcome == "基本满意" and float(results["金立新"].rate) == 75.0
    assert (
        results["唐晓云"].counts["不满意"] == 3.0 and results["唐晓云"].outcome == "不满意"
    )  # 3 > 5/2
    assert results["金立新"].rank == 1 and results["唐晓云"].rank == 2
    snapshot = results["唐晓云"].rule_snapshot
    assert snapshot["preset"] == "default" and snapshot["composition"] == 5
    assert snapshot["spec"]["threshold"]["base"] == "composition"
    assert "组成人员总数 5 的一半为 2.5，超过，结果为不满意" in results["唐晓云"].explanation

    with pytest.raises(ApplicationError):
        ballot_close(actor=office, ballot=ballot)
    with pytest.raises(ApplicationError, match="不在投票时间"):
        cast(actor=voters[4], ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    ballot_publish(actor=office, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.PUBLISHED
    assert ballot_receipts(ballot) == sorted(receipts)
    assert ballot_verify(ballot=ballot), "the stored sheets prove the published counts"
    assert len(ballot_results(ballot)) == 2


def test_a_forged_count_fails_verification(office, setup):
    campaign, ballot, a, b, voters = setup
    ballot = ballot_advance(
        ballot, to=BallotStatus.PUBLISHED, votes=[("满意", "不满意")] * 3, actor=office
    )
    assert ballot_verify(ballot=ballot)
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    result.web_counts = {"满意": 2, "基本满意": 1, "不满意": 0}
    result.save()
    assert not ballot_verify(ballot=ballot)
    result.web_counts = {"满意": 3, "基本满意": 0, "不满意": 0}
    result.save()
    SealedSheet.objects.filter(ballot=ballot).first().delete()  # a sheet removed afterwards
    assert not ballot_verify(ballot=ballot)


def test_one_sheet_per_member_and_no_change(office, setup):
    campaign, ballot, a, b, voters = setup
    open_ballot(actor=office, ballot=ballot)
    cast(actor=voters[0], ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    with pytest.raises(ApplicationError, match="已经投过票"):
        cast(actor=voters[0], ballot=ballot, choices={a.pk: "不满意", b.pk: "不满意"})
    assert SealedSheet.objects.count() == 1 and Participation.objects.count() == 1


def test_incomplete_forged_or_ineligible_sheets_refused(office, setup, make_user):
    campaign, ballot, a, b, voters = setup
    open_ballot(actor=office, ballot=ballot)
    ballot.refresh_from_db()
    one = sheet_encrypt(
        joint_key=bytes.fromhex(ballot.joint_key),
        ballot_id=ballot.crypto_id,
        layout=[3],
        choices=[0],
    )
    for sheet in ("", "{}", "[1]", "not json", canonical_json(one)):  # one subject of two
        with pytest.raises(ApplicationError, match="选票校验未通过"):
            ballot_cast(actor=voters[0], ballot=ballot, sheet=sheet)
    with pytest.raises(ApplicationError, match="投票人名单"):
        cast(actor=make_user(Role.MEMBER), ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    with pytest.raises(ApplicationError, match="投票人名单"):
        cast(actor=office, ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
    assert not Participation.objects.exists() and not SealedSheet.objects.exists()


def test_quorum_invalid_then_new_round(office, setup):
    campaign, ballot, a, b, voters = setup
    ballot = ballot_advance(ballot, to=BallotStatus.CLOSED, votes=["满意"] * 2, actor=office)
    assert (
        ballot.is_valid is False and "参加测评 2 人，少于最低参加人数 3 人" in ballot.invalid_reason
    )
    second = ballot_new_round(actor=office, ballot=ballot)
    assert second.round == 2 and second.previous == ballot and second.items.count() == 2
    with pytest.raises(ApplicationError, match="已经组织过"):
        ballot_new_round(actor=office, ballot=ballot)
    assert (
        BallotResult.objects.filter(ballot=ballot).count() == 2
    )  # the first round stays on record


def test_paper_ballots_checked_and_combined_with_weights(office, setup):
    campaign, ballot, a, b, voters = setup
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="含代表的测评",
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    committee = ballot.voter_groups.get(is_committee=True)
    deputies = ballot.voter_groups.get(name="人大代表")
    with pytest.raises(ApplicationError, match="多于发出票数"):
        paper_enter(
            actor=office,
            ballot=ballot,
            voter_group=deputies,
            number=1,
            issued=10,
            returned=11,
            counts={},
        )
    with pytest.raises(ApplicationError, match="金立新（.*无效票 0，合计 9，应为 10）"):
        paper_enter(
            actor=office,
            ballot=ballot,
            voter_group=deputies,
            number=1,
            issued=10,
            returned=10,
            counts={a.pk: {"满意": 6, "不满意": 3}, b.pk: {"满意": 10}},
        )
    assert not ballot.paper_tallies.exists() and not ballot.paper_entries.exists()
    PaperTallyFactory(
        actor=office,
        ballot=ballot,
        voter_group=deputies,
        issued=12,
        returned=10,
        counts={a.pk: {"满意": 6, "不满意": 3, "invalid": 1}, b.pk: {"满意": 10}},
    )
    PaperTallyFactory(
        actor=office,
        ballot=ballot,
        voter_group=committee,
        issued=1,
        returned=1,
        counts={a.pk: {"不满意": 1}, b.pk: {"满意": 1}},
    )
    ballot_advance(ballot, to=BallotStatus.CLOSED, votes=[("满意", "基本满意")] * 3, actor=office)
    result = BallotResult.objects.get(ballot=ballot, subject=a)
    # web 3 满意 + committee paper 1 不满意 (weight 1) + deputies 6 满意 / 3 不满意 (weight 0.5)
    assert result.counts == {"满意": 6.0, "基本满意": 0.0, "不满意": 2.5}
    assert result.web_counts == {"满意": 3, "基本满意": 0, "不满意": 0}
    assert result.paper_counts == {"满意": 6, "基本满意": 0, "不满意": 4}
    assert float(result.valid) == 8.5 and float(result.rate) == round(6 / 8.5 * 100, 2)
    # The committee's own 不满意 (1) is far from half of 5; 6 / 8.5 = 70.59 % is 基本满意.
    assert result.outcome == "基本满意" and "70.59%" in result.explanation
    assert result.committee_counts == {"满意": 3, "基本满意": 0, "不满意": 1}
    # Issued: the 5 eligible members (web voting happened; the one paper sheet is one of
    # them, not added on top) + 12 deputies' sheets at 0.5. Cast: 3 + 1, + 10 at 0.5.
    assert result.bases["committee"]["issued"] == 5 and result.bases["weighted"]["issued"] == 11
    assert result.bases["committee"]["cast"] == 4 and result.bases["weighted"]["cast"] == 9
    ballot.refresh_from_db()
    assert ballot.is_valid  # 3 on the web + 1 committee paper sheet reach the quorum of 3
    with pytest.raises(ApplicationError, match="已结束"):
        paper_enter(
            actor=office,
            ballot=ballot,
            voter_group=deputies,
            number=1,
            issued=1,
            returned=1,
            counts={a.pk: {"满意": 1}, b.pk: {"满意": 1}},
        )


def test_practice_ballot_is_discarded(office, setup):
    campaign, *_ = setup
    practice = BallotFactory(
        campaign=campaign,
        actor=office,
        name="试投票",
        purpose=BallotPurpose.PRACTICE,
        status=BallotStatus.OPEN,
        votes=["满意"],
    )
    with pytest.raises(ApplicationError, match="请先结束"):
        ballot_discard_practice(actor=office, ballot=practice)
    # Members see the count works.
    practice = ballot_advance(practice, to=BallotStatus.PUBLISHED, actor=office)
    assert ballot_verify(ballot=practice)
    ballot_discard_practice(actor=office, ballot=practice)
    assert not Ballot.objects.filter(pk=practice.pk).exists()
    assert not SealedSheet.objects.exists() and not Participation.objects.exists()


def test_only_office_moves_ballots(setup, member_user):
    campaign, ballot, *_ = setup
    for call in (ballot_open, ballot_close, ballot_publish):
        with pytest.raises(ApplicationError, match="只有评议办公室"):
            call(actor=member_user, ballot=ballot)


def test_ballot_tables_have_nothing_that_links_to_a_voter():
    """Every column of the tables a ballot writes per voter, and why none identifies anyone:
    the tracker is a hash of the sheet itself, the ciphertext points are random."""

    def columns(model):
        return {f.column for f in model._meta.concrete_fields}

    # The voter group is whose weight the sheet counts in (the committee, or e.g. the
    # deputies voting with codes), never who in it.
    assert columns(SealedSheet) == {"id", "ballot_id", "voter_group_id", "ciphertext", "tracker"}
    assert columns(SheetCiphertext) == {"a", "ballot_id"}
    assert columns(Participation) == {"id", "ballot_id", "user_id"}
    # A voting code: its keyed hash and THAT it was used; no time, nothing of a sheet.
    assert columns(VotingCode) == {"id", "ballot_id", "voter_group_id", "digest", "used"}
    assert SealedSheet._meta.pk.get_internal_type() == "UUIDField"  # random, not sequential
    for model in (SealedSheet, Participation, VotingCode):
        assert not any(
            f.get_internal_type() in ("DateTimeField", "DateField", "GenericIPAddressField")
            for f in model._meta.concrete_fields
        )
    assert not any(
        f.is_relation
        for f in SealedSheet._meta.concrete_fields
        if f.name not in ("ballot", "voter_group")
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent connections")
def test_fifty_concurrent_submissions_by_one_member_count_once(office, setup):
    campaign, ballot, a, b, voters = setup
    open_ballot(actor=office, ballot=ballot)
    barrier = threading.Barrier(50)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            outcomes.append(
                cast(actor=voters[0], ballot=ballot, choices={a.pk: "满意", b.pk: "满意"})
            )
        except ApplicationError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    receipts = [o for o in outcomes if isinstance(o, str)]
    refusals = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(receipts) == 1 and len(refusals) == 49
    assert all("已经投过票" in r.message for r in refusals)
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1


def test_reminders_go_out_after_commit_only_to_those_who_have_not_voted(
    office, setup, django_capture_on_commit_callbacks, mailoutbox
):
    campaign, ballot, a, b, voters = setup
    for i, voter in enumerate(voters):
        voter.email = f"m{i}@example.org"
        voter.save()
    ballot = ballot_advance(ballot, to=BallotStatus.OPEN, votes=["满意"], actor=office)
    with django_capture_on_commit_callbacks() as callbacks:
        assert ballot_remind(actor=office, ballot=ballot) == 4
    # Queued in the outbox with the request; nothing is sent inside the transaction.
    assert mailoutbox == [] and len(callbacks) == 1
    assert OutgoingEmail.objects.filter(kind="ballot_remind", status="queued").count() == 4
    callbacks[0]()
    assert sorted(m.to[0] for m in mailoutbox) == [f"m{i}@example.org" for i in range(1, 5)]
    assert "请登录系统投票" in mailoutbox[0].body
    assert OutgoingEmail.objects.filter(status="sent").count() == 4
