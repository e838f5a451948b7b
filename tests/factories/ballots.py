"""Factories for ballots: the meeting, inquiries, and ballots in every state with what they write.

A ballot is made by ballot_create and moved by ballot_open / ballot_cast / ballot_close /
ballot_decrypt / ballot_publish, with ballots.browser standing in for the browsers: three
tellers (any two decrypt) make keys before it opens, members' sheets are encrypted as
their browsers would, and the first k tellers decrypt after the close. The tellers' seeds
are kept in TELLER_SEEDS[ballot pk] for tests that play a teller.
"""

import datetime
import json
from pathlib import Path

import factory
from django.conf import settings

from ballots.browser import sheet_for, teller_decrypt, tellers_make_keys
from ballots.elgamal.keyfile import keyfile_open
from ballots.models import (
    AgendaItem,
    Ballot,
    BallotItem,
    BallotResult,
    BallotStatus,
    Eligibility,
    Inquiry,
    PaperCount,
    PaperEntry,
    PaperTally,
    Participation,
    ReviewMeeting,
    SealedSheet,
    SheetCiphertext,
    Teller,
    VoterGroup,
    VotingCode,
)
from ballots.services import (
    agenda_item_create,
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_open_stage_problem,
    ballot_publish,
    ballot_tellers_set,
    inquiry_answer,
    inquiry_submit,
    meeting_create,
    paper_enter,
)
from ballots.services.cast import ballot_cast_code, code_digest
from ballots.services.codes import voting_codes_issue
from core.roles import Role
from reviews.models import Member
from subjects.models import ReviewForm

from .base import ServiceFactory, UserFactory, default_office, office_user
from .reviews import CampaignFactory, MemberFactory
from .subjects import SubjectFactory

_ORDER = [
    BallotStatus.DRAFT,
    BallotStatus.OPEN,
    BallotStatus.COUNTING,
    BallotStatus.CLOSED,
    BallotStatus.PUBLISHED,
]
TELLER_SEEDS: dict[int, dict[int, bytes]] = {}


# --- The meeting ---------------------------------------------------------------------------
class ReviewMeetingFactory(ServiceFactory):
    """The review meeting as the office registers it (meeting_create), with `attendees`."""

    class Meta:
        model = ReviewMeeting

    campaign = factory.SubFactory(CampaignFactory)
    name = "县十七届人大常委会第五次会议"
    held_on = datetime.date(2017, 9, 22)
    place = "县人大常委会会议室"
    attendees = ()
    actor = None

    @classmethod
    def _create(cls, model_class, *, actor, attendees, **fields):
        return meeting_create(actor=actor or default_office(), attendees=list(attendees), **fields)


class AgendaItemFactory(ServiceFactory):
    """An on-site subject's place in the meeting's order of reports (agenda_item_create)."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(ReviewMeetingFactory)
    subject = factory.SubFactory(
        SubjectFactory,
        campaign=factory.SelfAttribute("..meeting.campaign"),
        review_form=ReviewForm.ON_SITE,
    )
    position = factory.Sequence(lambda n: n + 1)
    actor = None

    @classmethod
    def _create(cls, model_class, *, actor, **fields):
        return agenda_item_create(actor=actor or default_office(), **fields)


class InquiryFactory(ServiceFactory):
    """Asked by a member (inquiry_submit) of an on-site subject; `answer` recorded by the
    office (inquiry_answer) when given."""

    class Meta:
        model = Inquiry

    meeting = factory.SubFactory(ReviewMeetingFactory)
    subject = factory.SubFactory(
        SubjectFactory,
        campaign=factory.SelfAttribute("..meeting.campaign"),
        review_form=ReviewForm.ON_SITE,
    )
    asked_by = factory.SubFactory(UserFactory, role=Role.MEMBER)
    question = "针对群众反映的办事时限长问题，下一步有哪些具体措施？"
    answer = ""
    answer_recorded_by = None

    @classmethod
    def _create(cls, model_class, *, asked_by, answer, answer_recorded_by, **fields):
        inquiry = inquiry_submit(actor=asked_by, **fields)
        if answer:
            inquiry = inquiry_answer(
                actor=answer_recorded_by or default_office(), inquiry=inquiry, answer=answer
            )
        return inquiry


# --- Ballots -------------------------------------------------------------------------------
def voters_ensure(count: int) -> None:
    """At least `count` members who may vote on the web (active, counted in the composition)."""
    have = Member.objects.filter(is_active=True, counts_toward_composition=True).count()
    MemberFactory.create_batch(max(0, count - have))


def _choices(ballot: Ballot, vote) -> dict:
    """One sheet: an option for every subject, a list in the items' order, or a dict of
    subject (or its pk) → option."""
    subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
    if isinstance(vote, str):
        return dict.fromkeys(subject_ids, vote)
    if isinstance(vote, dict):
        return {getattr(s, "pk", s): option for s, option in vote.items()}
    return dict(zip(subject_ids, vote, strict=True))


def cast(*, actor, ballot: Ballot, choices: dict) -> str:
    """A member votes from their browser: {subject (or pk): option label}."""
    ballot.refresh_from_db()
    return ballot_cast(
        actor=actor, ballot=ballot, sheet=sheet_for(ballot, _choices(ballot, choices))
    )


def code_cast(*, code: str, ballot: Ballot, choices: dict) -> str:
    """A voter without an account votes from their phone with a voting code."""
    group = VotingCode.objects.get(digest=code_digest(code)).voter_group
    return ballot_cast_code(
        code=code, sheet=sheet_for(ballot, _choices(ballot, choices), group=group)
    )


def voting_codes_for(
    ballot: Ballot, *, group: str = "人大代表", count: int = 3, actor=None
) -> list[str]:
    """The office lets the voter group `group` vote on the web: `count` voting codes."""
    return voting_codes_issue(
        actor=actor or default_office(),
        ballot=ballot,
        voter_group=ballot.voter_groups.get(name=group),
        count=count,
    )


def tellers_ready(ballot: Ballot, *, actor=None) -> dict[int, bytes]:
    """Name three tellers (when none are) and have them all make their keys."""
    if not Teller.objects.filter(ballot=ballot).exists():
        tellers = UserFactory.create_batch(3)
        ballot_tellers_set(actor=actor or default_office(), ballot=ballot, users=tellers)
    seeds = TELLER_SEEDS[ballot.pk] = tellers_make_keys(ballot)
    return seeds


def _demo_seeds(ballot: Ballot) -> dict[int, bytes]:
    """The demo's ballots: their tellers' seeds from the key files load_demo wrote."""
    seeds = {}
    for path in Path(settings.DEMO_TELLERS_DIR).glob(f"{ballot.crypto_id}-*.json"):
        index, seed = keyfile_open(
            json.loads(path.read_text(encoding="utf-8")),
            ballot_id=ballot.crypto_id,
            passphrase="demo12345",
        )
        seeds[index] = seed
    return seeds


def tellers_count(ballot: Ballot, indices=None) -> Ballot:
    """The tellers `indices` (the first k by default) decrypt: the ballot is counted."""
    ballot.refresh_from_db()
    if ballot.pk not in TELLER_SEEDS:
        TELLER_SEEDS[ballot.pk] = _demo_seeds(ballot)
    for index in indices or range(1, ballot.teller_threshold + 1):
        if ballot.status != BallotStatus.COUNTING:  # no sheets: counted at the close
            break
        ballot = teller_decrypt(ballot, index, TELLER_SEEDS[ballot.pk][index])
    ballot.refresh_from_db()
    return ballot


# The office's written reason for opening a ballot although its campaign is not in the
# ballot's stage (ballots.services.ballot_open): factories build ballots in any stage.
OPENED_OUT_OF_STAGE = "测试数据：只要投票，不涉及评议活动的阶段"


def open_reason(ballot: Ballot) -> str:
    """The reason to pass to ballot_open: none when the campaign is in the ballot's stage."""
    ballot.campaign.refresh_from_db()
    return OPENED_OUT_OF_STAGE if ballot_open_stage_problem(ballot) else ""


def open_ballot(*, actor, ballot: Ballot) -> Ballot:
    """The tellers make their keys (when they have not), then the office opens the ballot."""
    ballot.refresh_from_db()
    if not ballot.joint_key:
        tellers_ready(ballot, actor=actor)
    return ballot_open(actor=actor, ballot=ballot, reason=open_reason(ballot))


def close_and_count(*, actor, ballot: Ballot) -> Ballot:
    """The office ends the voting, then the first k tellers decrypt."""
    ballot = ballot_close(actor=actor, ballot=ballot)
    return tellers_count(ballot)


def ballot_advance(ballot: Ballot, *, to: str, votes=(), voters=None, actor=None) -> Ballot:
    """Move a ballot forward to `to` through the services, casting `votes` while it is open.

    `votes` holds one sheet per voter (see _choices). The voters are `voters` (users who
    may vote) or else the eligible members in the order they were added; members are added
    when there are too few. The receipts are left on the returned ballot as `.receipts`."""
    actor = actor or default_office()
    ballot.refresh_from_db()
    if _ORDER.index(to) < _ORDER.index(ballot.status):
        raise ValueError(f"a ballot only moves forward: {ballot.status} → {to}")
    receipts = []
    if to == BallotStatus.COUNTING and not votes and ballot.status == BallotStatus.DRAFT:
        votes = ["满意"]  # with no sheet at all the close counts at once: nothing to decrypt
    if ballot.status == BallotStatus.DRAFT and to != BallotStatus.DRAFT:
        voters_ensure(0 if voters is not None else max(len(votes), 1))
        if not ballot.joint_key:
            tellers_ready(ballot, actor=actor)
        ballot = ballot_open(actor=actor, ballot=ballot, reason=open_reason(ballot))
    if votes:
        if voters is None:
            voters = [
                e.user
                for e in Eligibility.objects.filter(ballot=ballot)
                .select_related("user")
                .order_by("pk")[: len(votes)]
            ]
        for voter, vote in zip(voters, votes, strict=True):
            receipts.append(cast(actor=voter, ballot=ballot, choices=vote))
    if ballot.status == BallotStatus.OPEN and to != BallotStatus.OPEN:
        ballot = ballot_close(actor=actor, ballot=ballot)
    if ballot.status == BallotStatus.COUNTING and to != BallotStatus.COUNTING:
        ballot = tellers_count(ballot)
    if ballot.status == BallotStatus.CLOSED and to == BallotStatus.PUBLISHED:
        ballot = ballot_publish(actor=actor, ballot=ballot)
    ballot.refresh_from_db()
    ballot.receipts = receipts
    return ballot


class BallotFactory(ServiceFactory):
    """ballot_create (the campaign gets a subject when it has none), then moved to `status`
    by ballot_advance with `votes` and `voters`; any other keyword goes to ballot_create
    (subjects, options, rule_preset, extra_groups, meeting, purpose …).

        BallotFactory(campaign=c, status=BallotStatus.PUBLISHED, votes=["满意", "不满意"])
    """

    class Meta:
        model = Ballot

    campaign = factory.SubFactory(CampaignFactory)
    name = "述职评议满意度测评"
    status = BallotStatus.DRAFT
    votes = ()
    voters = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, status, votes, voters, actor, **options):
        actor = actor or default_office()
        if options.get("subjects") is None and not campaign.subjects.exists():
            SubjectFactory(campaign=campaign)
        ballot = ballot_create(actor=actor, campaign=campaign, **options)
        return ballot_advance(ballot, to=status, votes=votes, voters=voters, actor=actor)


class TellerFactory(ServiceFactory):
    """Teller 1 of a new ballot whose office named three tellers (ballot_tellers_set)."""

    class Meta:
        model = Teller

    @classmethod
    def _create(cls, model_class):
        ballot = BallotFactory(tellers=UserFactory.create_batch(3))
        return Teller.objects.get(ballot=ballot, index=1)


class SheetCiphertextFactory(ServiceFactory):
    """A slot ciphertext's first point, written with a sheet cast in an open ballot."""

    class Meta:
        model = SheetCiphertext

    @classmethod
    def _create(cls, model_class):
        ballot = BallotFactory(status=BallotStatus.OPEN, votes=["满意"])
        return SheetCiphertext.objects.filter(ballot=ballot).first()


class BallotItemFactory(ServiceFactory):
    """A subject on a new ballot (ballot_create writes the items)."""

    class Meta:
        model = BallotItem

    ballot = factory.SubFactory(BallotFactory)

    @classmethod
    def _create(cls, model_class, *, ballot):
        return ballot.items.order_by("position").first()


class VoterGroupFactory(ServiceFactory):
    """A voter group of a new ballot: the committee's, or with `is_committee=False` an extra
    group (ballot_create writes the groups)."""

    class Meta:
        model = VoterGroup

    name = "人大代表"
    weight = 1
    is_committee = False

    @classmethod
    def _create(cls, model_class, *, name, weight, is_committee, **ballot):
        if is_committee:
            return BallotFactory(committee_weight=weight, **ballot).voter_groups.get(
                is_committee=True
            )
        ballot = BallotFactory(extra_groups=[(name, weight)], **ballot)
        return ballot.voter_groups.get(name=name)


class EligibilityFactory(ServiceFactory):
    """A member's right to vote, written when the ballot opens."""

    class Meta:
        model = Eligibility

    ballot = factory.SubFactory(BallotFactory, status=BallotStatus.OPEN)

    @classmethod
    def _create(cls, model_class, *, ballot):
        return Eligibility.objects.filter(ballot=ballot).order_by("pk").first()


class ParticipationFactory(ServiceFactory):
    """THAT a member voted: one sheet cast in an open ballot."""

    class Meta:
        model = Participation

    ballot = factory.SubFactory(BallotFactory, status=BallotStatus.OPEN)
    vote = "满意"

    @classmethod
    def _create(cls, model_class, *, ballot, vote):
        voted = Participation.objects.filter(ballot=ballot).values("user_id")
        voter = Eligibility.objects.filter(ballot=ballot).exclude(user_id__in=voted).first().user
        ballot_advance(ballot, to=BallotStatus.OPEN, votes=[vote], voters=[voter])
        return Participation.objects.get(ballot=ballot, user=voter)


class SealedSheetFactory(ServiceFactory):
    """A sealed sheet cast in an open ballot."""

    class Meta:
        model = SealedSheet

    ballot = factory.SubFactory(BallotFactory, status=BallotStatus.OPEN)
    vote = "满意"

    @classmethod
    def _create(cls, model_class, *, ballot, vote):
        before = set(SealedSheet.objects.filter(ballot=ballot).values_list("pk", flat=True))
        ParticipationFactory(ballot=ballot, vote=vote)
        return SealedSheet.objects.filter(ballot=ballot).exclude(pk__in=before).get()


class PaperTallyFactory(ServiceFactory):
    """Paper sheets of a voter group (the committee's by default) as counted: entered twice
    with paper_enter, by `actor` and by `checker` (a second office user), agreeing;
    without `counts` every returned sheet is the first option for every subject."""

    class Meta:
        model = PaperTally

    ballot = factory.SubFactory(BallotFactory)
    voter_group = None
    issued = 3
    returned = 2
    counts = None
    actor = None
    checker = None

    @classmethod
    def _create(cls, model_class, *, ballot, voter_group, issued, returned, counts, actor, checker):
        if counts is None:
            counts = {item.subject_id: {ballot.options[0]: returned} for item in ballot.items.all()}
        group = voter_group or ballot.voter_groups.get(is_committee=True)
        for number, who in ((1, actor or default_office()), (2, checker or office_user())):
            paper_enter(
                actor=who,
                ballot=ballot,
                voter_group=group,
                number=number,
                issued=issued,
                returned=returned,
                counts=counts,
            )
        return PaperTally.objects.get(ballot=ballot, voter_group=group)


class PaperEntryFactory(ServiceFactory):
    """The first entry of a voter group's counting form (the committee's by default),
    by paper_enter: awaiting the second entry, so not counted yet."""

    class Meta:
        model = PaperEntry

    ballot = factory.SubFactory(BallotFactory)
    voter_group = None
    issued = 3
    returned = 2
    counts = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, ballot, voter_group, issued, returned, counts, actor):
        if counts is None:
            counts = {item.subject_id: {ballot.options[0]: returned} for item in ballot.items.all()}
        return paper_enter(
            actor=actor or default_office(),
            ballot=ballot,
            voter_group=voter_group or ballot.voter_groups.get(is_committee=True),
            number=1,
            issued=issued,
            returned=returned,
            counts=counts,
        )


class PaperCountFactory(ServiceFactory):
    """One subject's count of one option in a paper tally."""

    class Meta:
        model = PaperCount

    tally = factory.SubFactory(PaperTallyFactory)

    @classmethod
    def _create(cls, model_class, *, tally):
        return tally.counts.order_by("pk").first()


class BallotResultFactory(ServiceFactory):
    """A subject's result, counted by the close of a ballot with one 满意 sheet."""

    class Meta:
        model = BallotResult

    ballot = factory.SubFactory(BallotFactory, status=BallotStatus.CLOSED, votes=["满意"])

    @classmethod
    def _create(cls, model_class, *, ballot):
        return ballot.results.order_by("rank").first()


class VotingCodeFactory(ServiceFactory):
    """A voting code of a draft ballot's deputies (voting_codes_issue writes the codes)."""

    class Meta:
        model = VotingCode

    @classmethod
    def _create(cls, model_class):
        ballot = BallotFactory(extra_groups=[("人大代表", 1)])
        voting_codes_for(ballot, count=1)
        return VotingCode.objects.get(ballot=ballot)
