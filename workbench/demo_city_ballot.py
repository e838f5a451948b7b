"""A city campaign's satisfaction ballot for `load_demo --scale city` (workbench.demo_city):
web sheets encrypted as a member's browser would and cast through ballot_cast, a paper
counting form typed twice through paper_enter; published, the tellers decrypt it and its
results are the tally's (ballot_close, ballot_decrypt, ballot_publish), never typed in."""

import datetime
import random

from django.utils import timezone

from ballots.browser import sheet_for, teller_decrypt, tellers_make_keys
from ballots.models import Ballot, BallotStatus
from ballots.services import (
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    meeting_create,
    paper_enter,
)
from reviews.models import Campaign


def city_ballot(
    campaign: Campaign, subjects: list, voters: list, size, *, office, clerk, publish
) -> Ballot:
    """The satisfaction ballot: web sheets cast, the paper counting form typed twice;
    with `publish`, closed, decrypted by two tellers and published."""
    rng = random.Random(campaign.pk)
    paper = size.composition * 2 // 3  # sheets issued and returned at the meeting
    meeting = meeting_create(
        actor=office,
        campaign=campaign,
        name=f"{campaign.name}评议会议",
        held_on=timezone.localdate() - datetime.timedelta(days=60),
        place="市人大常委会会议室",
        attendees=voters[:paper],
    )
    ballot = ballot_create(
        actor=office,
        campaign=campaign,
        name="述职评议满意度测评",
        meeting=meeting,
        tellers=[m.user for m in voters[-3:]],
    )
    seeds = tellers_make_keys(ballot)
    ballot = ballot_open(actor=office, ballot=ballot)
    options = ballot.options
    for voter in voters[paper : paper + size.sheets]:
        choices = {
            s.pk: rng.choices(options, weights=[6, 3, 1] if n % 10 else [1, 2, 7])[0]
            for n, s in enumerate(subjects)
        }
        ballot_cast(actor=voter.user, ballot=ballot, sheet=sheet_for(ballot, choices))
    counts = {}
    for n, subject in enumerate(subjects):
        unsatisfied = (
            rng.randint(0, paper // 10) if n % 10 else rng.randint(paper // 2, paper * 3 // 4)
        )
        invalid = rng.randint(0, 1)
        fair = rng.randint(0, paper - unsatisfied - invalid)
        counts[subject.pk] = {
            options[0]: paper - unsatisfied - invalid - fair,
            options[1]: fair,
            options[2]: unsatisfied,
            "invalid": invalid,
        }
    group = ballot.voter_groups.get(is_committee=True)
    for number, actor in ((1, office), (2, clerk)):
        paper_enter(
            actor=actor,
            ballot=ballot,
            voter_group=group,
            number=number,
            issued=paper,
            returned=paper,
            counts=counts,
        )
    if publish:
        ballot = ballot_close(actor=office, ballot=ballot)
        for index in (1, 2):
            if ballot.status == BallotStatus.COUNTING:
                ballot = teller_decrypt(ballot, index, seeds[index])
        ballot = ballot_publish(actor=office, ballot=ballot)
    return ballot
