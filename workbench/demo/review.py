"""Committee review (审议评议): the review meeting with its agenda and inquiries, the
scored review ballot (members on their phones, deputies with one-time voting codes)
closed, decrypted by two of its three tellers and published, and a practice ballot left
open. The demo tellers' key files are written where load_demo says."""

import json
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from ballots.browser import sheet_for, teller_decrypt, teller_key_file, tellers_make_keys
from ballots.models import BallotPurpose
from ballots.services import (
    agenda_item_create,
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    inquiry_answer,
    inquiry_submit,
    meeting_create,
)
from ballots.services.cast import ballot_cast_code
from ballots.services.codes import voting_codes_issue
from reviews.models import Campaign, Member
from subjects.models import ReviewForm

DEMO_TELLERS = ("member", "m02", "m03")
DEMO_TELLER_PASSPHRASE = "demo12345"


def demo_tellers_dir() -> Path:
    return Path(settings.DEMO_TELLERS_DIR)


def tellers_keys(ballot) -> dict:
    """The demo's tellers make their keys as their browsers would, and their key files
    (passphrase demo12345) are written where load_demo says, to try the tellers' page."""
    seeds = tellers_make_keys(ballot)
    folder = demo_tellers_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for teller in ballot.tellers.select_related("user"):
        data = teller_key_file(ballot, teller.index, seeds[teller.index], DEMO_TELLER_PASSPHRASE)
        name = f"{ballot.crypto_id}-监票人{teller.index}-{teller.user.username}.json"
        (folder / name).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return seeds


def meeting_and_ballot(
    campaign: Campaign, subjects: list, *, office, users: dict, held_on, seed: int
):
    """The review meeting with inquiries, and the ballot cast, counted and published."""

    meeting = meeting_create(
        actor=office,
        campaign=campaign,
        name="县十七届人大常委会第五次会议",
        held_on=held_on,
        place="县人大常委会会议室",
        attendees=list(Member.objects.filter(counts_toward_composition=True)[:24]),
    )
    on_site = [s for s in subjects if s.review_form == ReviewForm.ON_SITE]
    for position, subject in enumerate(on_site, start=1):
        agenda_item_create(actor=office, meeting=meeting, subject=subject, position=position)
    for subject, asker in zip(on_site[:3], ("m03", "m07", "m10"), strict=False):
        inquiry = inquiry_submit(
            actor=users[asker],
            meeting=meeting,
            subject=subject,
            question="针对调查中群众反映的办事时限长问题，下一步有哪些具体措施？",
        )
        inquiry_answer(
            actor=office, inquiry=inquiry, answer="将推行并联审批，压缩办理时限，年底前完成。"
        )
    # A scored ballot (按分值计分, 不了解 outside the base, highest and lowest dropped per
    # group) in which the deputies (seed 002: "各位委员和代表") vote on the web with
    # one-time voting codes, at half the members' weight.
    ballot = ballot_create(
        actor=office,
        campaign=campaign,
        name="述职评议满意度测评",
        meeting=meeting,
        tellers=[users[u] for u in DEMO_TELLERS],
        rule_preset="score_trimmed",
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    deputies = ballot.voter_groups.get(is_committee=False)
    codes = voting_codes_issue(actor=office, ballot=ballot, voter_group=deputies, count=8)
    seeds = tellers_keys(ballot)
    ballot_open(actor=office, ballot=ballot)
    rng = random.Random(seed)
    voters = [
        m.user for m in Member.objects.filter(counts_toward_composition=True).select_related("user")
    ][:24]

    def choices() -> dict:
        return {
            s.pk: rng.choices(
                [*ballot.options, "不了解"], weights=[7, 3, 1, 1] if i != 4 else [2, 3, 5, 1]
            )[0]
            for i, s in enumerate(subjects)
        }

    for voter in voters:
        ballot_cast(actor=voter, ballot=ballot, sheet=sheet_for(ballot, choices()))
    # Six of the eight slips drawn by deputies are used; two stay unused.
    for code in codes[:6]:
        ballot_cast_code(code=code, sheet=sheet_for(ballot, choices(), deputies))
    ballot = ballot_close(actor=office, ballot=ballot)
    # Two of the three tellers decrypt in the meeting; the third's file stays unused.
    for index in (1, 2):
        ballot = teller_decrypt(ballot, index, seeds[index])
    ballot_publish(actor=office, ballot=ballot)
    return meeting, ballot


def practice_ballot_open(campaign: Campaign, *, office, users: dict) -> None:
    """A practice ballot is open so that members can try voting on their phones."""
    practice = ballot_create(
        actor=office,
        campaign=campaign,
        name="试投票（测试手机）",
        purpose=BallotPurpose.PRACTICE,
        tellers=[users[u] for u in DEMO_TELLERS],
    )
    tellers_keys(practice)
    ballot_open(actor=office, ballot=practice)
