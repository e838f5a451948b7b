"""The forger: someone who can write to the database (or hand round an edited record)
adds, copies or drops a sheet, edits a ciphertext, a count, a rate or an outcome, or forges
a teller's share. ballot_verify (on the database) and tools/verify_ballot.py (on the
downloaded record) each catch every one, with a message naming what is wrong."""

import copy
import json
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ballots.browser import sheet_for
from ballots.models import BallotResult, BallotStatus, SealedSheet, Teller
from ballots.services import ballot_check, ballot_verify
from ballots.services.record import ballot_record
from tests.factories import BallotFactory, CampaignFactory, MemberFactory, SubjectFactory
from tools.verify_ballot import check

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def published(office):
    campaign = CampaignFactory(actor=office, composition_size=5)
    people = [
        SubjectFactory(campaign=campaign, person_name="金立新", position=1),
        SubjectFactory(campaign=campaign, person_name="唐晓云", position=2),
    ]
    MemberFactory.create_batch(5)
    votes = [("满意", "不满意"), ("满意", "基本满意"), ("基本满意", "不满意"), ("满意", "满意")]
    ballot = BallotFactory(
        campaign=campaign, actor=office, status=BallotStatus.PUBLISHED, votes=votes
    )
    return ballot, people


def test_an_untouched_ballot_passes_on_the_database_the_record_and_the_command(
    published, tmp_path, capsys
):
    ballot, _ = published
    assert ballot_verify(ballot=ballot) and ballot_check(ballot=ballot) == []
    path = tmp_path / "record.json"
    call_command("ballot_record", ballot.pk)
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/verify_ballot.py"), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert "sheets" in done.stdout and "results:" in done.stdout and "PASS" in done.stdout
    call_command("ballot_verify", ballot.pk)
    assert "PASS" in capsys.readouterr().out


def _sheet_json(sheet: SealedSheet) -> dict:
    return json.loads(bytes(sheet.ciphertext))


def add_sheet(ballot, people):
    SealedSheet.objects.create(
        ballot=ballot,
        ciphertext=sheet_for(ballot, {p.pk: "不满意" for p in people}).encode(),
        tracker=uuid.uuid4().hex,
    )


def duplicate_sheet(ballot, people):
    first = SealedSheet.objects.filter(ballot=ballot).first()
    SealedSheet.objects.create(ballot=ballot, ciphertext=first.ciphertext, tracker="copy")


def drop_sheet(ballot, people):
    SealedSheet.objects.filter(ballot=ballot).first().delete()


def edit_ciphertext(ballot, people):
    sheet = SealedSheet.objects.filter(ballot=ballot).first()
    data = _sheet_json(sheet)
    slots = data["subjects"][0]["slots"]
    slots[0]["b"], slots[1]["b"] = slots[1]["b"], slots[0]["b"]
    sheet.ciphertext = json.dumps(data).encode()
    sheet.save()


def edit_web_count(ballot, people):
    result = BallotResult.objects.get(ballot=ballot, subject=people[0])
    result.web_counts = {**result.web_counts, "满意": result.web_counts["满意"] + 1}
    result.save()


def edit_count(ballot, people):
    result = BallotResult.objects.get(ballot=ballot, subject=people[0])
    result.counts = {**result.counts, "不满意": 0, "满意": result.counts["满意"] + 1}
    result.save()


def edit_rate(ballot, people):
    BallotResult.objects.filter(ballot=ballot, subject=people[0]).update(rate=Decimal("99.00"))


def edit_outcome(ballot, people):
    BallotResult.objects.filter(ballot=ballot, subject=people[1]).update(outcome="满意")


def forge_teller_share(ballot, people):
    teller = Teller.objects.get(ballot=ballot, index=2)
    other = Teller.objects.get(ballot=ballot, index=3)
    teller.public = {**teller.public, "commitments": other.public["commitments"]}
    teller.save()


def forge_partial(ballot, people):
    teller = Teller.objects.filter(ballot=ballot, decrypted_at__isnull=False).first()
    partial = copy.deepcopy(teller.partial)
    partial[0][0], partial[0][1] = partial[0][1], partial[0][0]
    teller.partial = partial
    teller.save()


TAMPERING = {
    "a sheet added": (add_sheet, "sheets"),
    "a sheet copied": (duplicate_sheet, "sheets"),
    "a sheet dropped": (drop_sheet, "sheets"),
    "a ciphertext edited": (edit_ciphertext, "proof"),
    "a web count edited": (edit_web_count, "electronic counts"),
    "a weighted count edited": (edit_count, "weighted counts"),
    "a rate edited": (edit_rate, "rate"),
    "an outcome edited": (edit_outcome, "outcome"),
    "a teller's share forged": (forge_teller_share, "teller 2"),
    "a partial decryption forged": (forge_partial, "decryption"),
}


@pytest.mark.parametrize("name", TAMPERING)
def test_tampering_in_the_database_is_caught_by_ballot_verify(published, name, capsys):
    ballot, people = published
    tamper, words = TAMPERING[name]
    tamper(ballot, people)
    problems = ballot_check(ballot=ballot)
    assert problems and words in problems[-1], (name, problems)
    assert not ballot_verify(ballot=ballot)
    with pytest.raises(CommandError):
        call_command("ballot_verify", ballot.pk)
    assert words in capsys.readouterr().out


def _edit_record(record: dict, name: str) -> None:
    sheets, results = record["sheets"], record["results"]
    if name == "a sheet added":
        sheets.append(copy.deepcopy(sheets[0]) | {"tracker": "0" * 64})
    elif name == "a sheet copied":
        sheets.append(copy.deepcopy(sheets[0]))
    elif name == "a sheet dropped":
        sheets.pop()
    elif name == "a ciphertext edited":
        slots = sheets[0]["sheet"]["subjects"][0]["slots"]
        slots[0]["b"], slots[1]["b"] = slots[1]["b"], slots[0]["b"]
    elif name == "a web count edited":
        record["counts"]["electronic"]["常委会组成人员"][0][0] += 1
    elif name == "a weighted count edited":
        results[0]["counts"][0] += 1
    elif name == "a rate edited":
        results[0]["rate"] = "99.00"
    elif name == "an outcome edited":
        results[1]["outcome"] = "满意"
    elif name == "a teller's share forged":
        published = record["tellers"]["published"]
        published[1]["commitments"] = published[2]["commitments"]
    elif name == "a partial decryption forged":
        partial = record["decryptions"][0]["partial"]
        partial[0][0], partial[0][1] = partial[0][1], partial[0][0]


@pytest.mark.parametrize("name", TAMPERING)
def test_tampering_in_the_record_is_caught_by_the_independent_verifier(published, name, tmp_path):
    ballot, _ = published
    record = ballot_record(ballot)
    _edit_record(record, name)
    lines = check(record)
    assert not lines[-1][0], (name, lines[-1])
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/verify_ballot.py"), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "FAIL" in done.stdout, done.stdout
    assert lines[-1][1] in done.stdout


@pytest.mark.parametrize(
    "bad",
    [
        "ff" * 32,  # no point at all
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  # order 8
    ],
)
def test_a_sheet_edited_to_a_bad_point_before_the_close_stops_the_count(office, bad):
    """The close reads the sheets verified at cast without checking each point again; a
    point edited in the database still stops the count with a message, changing nothing."""
    from ballots.models import Ballot
    from ballots.services import ballot_close
    from core.errors import ApplicationError

    campaign = CampaignFactory(actor=office, composition_size=3)
    SubjectFactory(campaign=campaign)
    MemberFactory.create_batch(3)
    ballot = BallotFactory(
        campaign=campaign, actor=office, status=BallotStatus.OPEN, votes=["满意", "不满意"]
    )
    row = SealedSheet.objects.filter(ballot=ballot).first()
    sheet = json.loads(bytes(row.ciphertext))
    sheet["subjects"][0]["slots"][1]["b"] = bad
    SealedSheet.objects.filter(pk=row.pk).update(ciphertext=json.dumps(sheet).encode())
    with pytest.raises(ApplicationError, match="选票数据校验未通过"):
        ballot_close(actor=office, ballot=Ballot.objects.get(pk=ballot.pk))
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and not ballot.tally
