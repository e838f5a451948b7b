"""Tellers (监票人), k of n: named by the office, keys made in their browsers (played here by
ballots.browser), the ballot opening only once every teller has published, and the count
made from any k valid partial decryptions; a forged key, share or decryption changes
nothing and says why."""

import pytest
from django.db import transaction

from ballots.browser import teller_decrypt
from ballots.elgamal.ceremony import shares_for, teller_from_seed
from ballots.elgamal.group import CryptoError, random_scalar
from ballots.models import BallotResult, BallotStatus, Teller
from ballots.services import (
    ballot_close,
    ballot_decrypt,
    ballot_open,
    ballot_tellers_set,
    teller_publish,
    teller_shares_send,
    tellers_missing,
)
from ballots.services.tellers import tellers_public
from ballots.workflows import BALLOT_WORKFLOW
from core.errors import ApplicationError
from core.workflow import transition
from reviews.models import CampaignStage
from tests.factories import (
    TELLER_SEEDS,
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    cast,
    tellers_count,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(office):
    # In the review stage, where the review ballot opens without a written reason.
    campaign = CampaignFactory(actor=office, composition_size=3, stage=CampaignStage.REVIEW)
    SubjectFactory(campaign=campaign, person_name="金立新")
    MemberFactory.create_batch(3)
    tellers = UserFactory.create_batch(3)
    ballot = BallotFactory(campaign=campaign, actor=office, tellers=tellers)
    return ballot, tellers


def _publish(ballot, teller_user, index, *, seed=None, shares=None):
    seed = seed or random_scalar()
    _, _, public = teller_from_seed(seed=seed, ballot_id=ballot.crypto_id, n=3, k=2, index=index)
    if shares is None:
        shares = shares_for(
            seed=seed, ballot_id=ballot.crypto_id, n=3, k=2, index=index,
            publics=tellers_public(ballot),
        )  # fmt: skip
    teller_publish(
        actor=teller_user,
        ballot=ballot,
        public=public.to_json(),
        shares={str(j): v for j, v in shares.items()},
    )
    return seed


def test_the_office_names_tellers_with_sensible_numbers(draft, office):
    ballot, tellers = draft
    assert [t.index for t in Teller.objects.filter(ballot=ballot)] == [1, 2, 3]
    for users, k in ((tellers[:1], 1), (tellers, 1), (tellers, 4), ([tellers[0]] * 2, 2)):
        with pytest.raises(ApplicationError):
            ballot_tellers_set(actor=office, ballot=ballot, users=users, threshold=k)
    with pytest.raises(ApplicationError, match="评议办公室"):
        ballot_tellers_set(actor=tellers[0], ballot=ballot, users=tellers)


def test_the_ballot_opens_only_once_every_teller_has_published_and_sent_shares(draft, office):
    ballot, tellers = draft
    with pytest.raises(ApplicationError, match="尚未生成监票密钥"):
        ballot_open(actor=office, ballot=ballot)
    seeds = {1: _publish(ballot, tellers[0], 1), 2: _publish(ballot, tellers[1], 2)}
    with pytest.raises(ApplicationError, match="监票人 3.*尚未生成"):
        ballot_open(actor=office, ballot=ballot)
    with pytest.raises(ApplicationError, match="已有监票人生成了密钥"):
        ballot_tellers_set(actor=office, ballot=ballot, users=tellers[::-1])
    _publish(ballot, tellers[2], 3)
    ballot.refresh_from_db()
    assert ballot.joint_key  # derived once all three published
    assert any("发送份额" in m for m in tellers_missing(ballot))
    with pytest.raises(ApplicationError, match="发送份额"):
        ballot_open(actor=office, ballot=ballot)
    for index in (1, 2):
        owed = {j: p for j, p in tellers_public(ballot).items() if j > index}
        shares = shares_for(
            seed=seeds[index], ballot_id=ballot.crypto_id, n=3, k=2, index=index, publics=owed
        )
        teller_shares_send(
            actor=tellers[index - 1], ballot=ballot, shares={str(j): v for j, v in shares.items()}
        )
    assert tellers_missing(ballot) == []
    assert ballot_open(actor=office, ballot=ballot).status == BallotStatus.OPEN


def test_forged_or_misdirected_publications_are_refused_and_change_nothing(draft, office):
    ballot, tellers = draft
    seed = random_scalar()
    _, _, public = teller_from_seed(seed=seed, ballot_id=ballot.crypto_id, n=3, k=2, index=1)
    forged = public.to_json()
    forged["commitments"] = forged["commitments"][::-1]  # the proof no longer checks
    for actor, data, message in (
        (tellers[0], forged, "校验未通过"),
        (tellers[1], public.to_json(), "校验未通过"),  # teller 2 posting as teller 1
        (office, public.to_json(), "不是本次测评的监票人"),
        (tellers[0], {"index": 1}, "校验未通过"),
    ):
        with pytest.raises(ApplicationError, match=message):
            teller_publish(actor=actor, ballot=ballot, public=data, shares={})
    assert not Teller.objects.filter(ballot=ballot, published_at__isnull=False).exists()
    _publish(ballot, tellers[0], 1, seed=seed)
    with pytest.raises(ApplicationError, match="不能重复生成"):
        _publish(ballot, tellers[0], 1, seed=seed)
    with pytest.raises(ApplicationError, match="尚需发送"):
        _publish(ballot, tellers[1], 2, shares={})  # owes teller 1 a share
    with pytest.raises(ApplicationError, match="格式不正确"):
        teller_publish(
            actor=tellers[1],
            ballot=ballot,
            public=teller_from_seed(
                seed=random_scalar(), ballot_id=ballot.crypto_id, n=3, k=2, index=2
            )[2].to_json(),
            shares={"1": "00" * 80},
        )


@pytest.fixture
def counting(office):
    campaign = CampaignFactory(actor=office, composition_size=3)
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    members = [m.user for m in MemberFactory.create_batch(3)]
    ballot = BallotFactory(campaign=campaign, actor=office, status=BallotStatus.OPEN)
    for member, choice in zip(members, ("满意", "满意", "不满意"), strict=True):
        cast(actor=member, ballot=ballot, choices={subject.pk: choice})
    ballot = ballot_close(actor=office, ballot=ballot)
    return ballot, subject


def test_any_two_of_three_count_the_same_and_a_lone_teller_counts_nothing(counting, office):
    ballot, subject = counting
    seeds = TELLER_SEEDS[ballot.pk]
    # The office cannot skip the tellers: the count is no one's button.
    with pytest.raises(ApplicationError), transaction.atomic():
        transition(
            obj=ballot, to=BallotStatus.CLOSED, workflow=BALLOT_WORKFLOW, actor=office,
            summary="",
        )  # fmt: skip
    ballot = teller_decrypt(ballot, 3, seeds[3])
    assert ballot.status == BallotStatus.COUNTING and not BallotResult.objects.exists()
    with pytest.raises(ApplicationError, match="已经提交过"):
        teller_decrypt(ballot, 3, seeds[3])
    ballot = teller_decrypt(ballot, 2, seeds[2])  # teller 1 absent
    assert ballot.status == BallotStatus.CLOSED
    result = BallotResult.objects.get(ballot=ballot)
    assert result.web_counts == {"满意": 2, "基本满意": 0, "不满意": 1}


def test_a_teller_with_the_wrong_key_is_refused_and_nothing_changes(counting):
    ballot, subject = counting
    seeds = TELLER_SEEDS[ballot.pk]
    teller = Teller.objects.get(ballot=ballot, index=2)
    # Teller 2 decrypts with teller 1's seed: its file "does not match what was published".
    with pytest.raises(CryptoError, match="does not match"):
        teller_decrypt(ballot, 2, seeds[1])
    # A browser that posts a partial made with another teller's share is refused here.
    own = Teller.objects.get(ballot=ballot, index=1)
    with pytest.raises(ApplicationError, match="解密结果校验未通过"):
        ballot_decrypt(actor=teller.user, ballot=ballot, partial=_partial_of(ballot, 1, seeds[1]))
    teller.refresh_from_db()
    own.refresh_from_db()
    assert teller.decrypted_at is None and teller.partial == [] and own.decrypted_at is None
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.COUNTING


def _partial_of(ballot, index, seed):
    from ballots.elgamal.ceremony import teller_secret
    from ballots.elgamal.group import point_from_hex
    from ballots.elgamal.tally import tally_partial
    from ballots.services.tellers import tally_parsed, tellers_shares_for

    x = teller_secret(
        seed=seed, ballot_id=ballot.crypto_id, n=3, k=2, index=index,
        publics=tellers_public(ballot), sealed=tellers_shares_for(ballot, index),
    )  # fmt: skip
    return tally_partial(
        secret=x, tally=tally_parsed(ballot), joint_key=point_from_hex(ballot.joint_key),
        ballot_id=ballot.crypto_id, teller=index,
    )  # fmt: skip


def test_a_forged_share_is_named_by_its_recipient_and_the_others_still_count(counting):
    """Teller 1's share for teller 3 is replaced in the database (by a share sealed with a
    wrong value): teller 3's browser names teller 1 and posts nothing; tellers 1 and 2
    count."""
    ballot, subject = counting
    seeds = TELLER_SEEDS[ballot.pk]
    sender = Teller.objects.get(ballot=ballot, index=1)
    other_seed = random_scalar()
    forged = shares_for(
        seed=other_seed, ballot_id=ballot.crypto_id, n=3, k=2, index=1,
        publics={3: tellers_public(ballot)[3]},
    )  # fmt: skip
    sender.shares = {**sender.shares, "3": forged[3]}
    sender.save()
    with pytest.raises(CryptoError, match="share from teller 1"):
        teller_decrypt(ballot, 3, seeds[3])
    ballot = tellers_count(ballot, indices=[1, 2])
    assert ballot.status == BallotStatus.CLOSED
