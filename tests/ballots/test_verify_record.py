"""verifier/verify_record.py: a record built by the library passes, and every forgery a
database writer could make (a sheet added or copied, a ciphertext, a count or a teller's
decryption edited, a teller's key swapped) fails with a message naming it.

The verifier runs as a separate process with `python -I` from an empty directory, so it
can import nothing of the app (only the standard library and pysodium).
"""

import ast
import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from ballots.elgamal.group import base_mul, random_scalar
from ballots.elgamal.record import GROUP, record_build
from ballots.elgamal.sheet import sheet_encrypt, sheet_verify, tracker
from ballots.elgamal.tally import tally_partial, tally_sum
from ballots.elgamal.tellers import joint_key
from tests.ballots.elgamal_vectors import BAD_POINTS, ceremony, top_bit_set

VERIFIER = Path(__file__).resolve().parents[2] / "verifier" / "verify_record.py"
BALLOT = "ballot:record:1"
SUBJECTS = [
    {"name": "县教育局", "options": ["满意", "基本满意", "不满意"]},
    {"name": "县卫健局", "options": ["满意", "基本满意", "不满意", "弃权"]},
]
LAYOUT = [3, 4]


@pytest.fixture(scope="module")
def built():
    publics, secrets = ceremony(BALLOT, 3, 2)
    h = joint_key(publics)
    choices = [[random.randrange(n) for n in LAYOUT] for _ in range(8)]
    sheets = [
        sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=c) for c in choices
    ]
    verified = [sheet_verify(s, joint_key=h, ballot_id=BALLOT, layout=LAYOUT) for s in sheets]
    total = tally_sum(verified, LAYOUT)
    partials = {
        t: tally_partial(secret=secrets[t], tally=total, joint_key=h, ballot_id=BALLOT, teller=t)
        for t in (1, 3)
    }
    paper = [{"group": "现场纸质票", "counts": [[2, 1, 0], [1, 1, 0, 1]]}]
    record = record_build(
        ballot_id=BALLOT, subjects=SUBJECTS, n=3, k=2, publics=publics, participations=8,
        sheets=sheets, partials=partials, paper=paper,
    )  # fmt: skip
    expected = [[sum(c[i] == j for c in choices) for j in range(n)] for i, n in enumerate(LAYOUT)]
    return {"record": record, "expected": expected, "h": h, "secrets": secrets, "publics": publics}


def _verify(record: dict, tmp_path, *options: str) -> subprocess.CompletedProcess:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False))
    return subprocess.run(
        [sys.executable, "-I", str(VERIFIER), *options, str(path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_a_record_built_by_the_library_passes(built, tmp_path):
    record = built["record"]
    assert record["counts"]["electronic"] == {GROUP: built["expected"]}
    assert record["counts"]["total"][0] == [
        x + y for x, y in zip(built["expected"][0], [2, 1, 0], strict=True)
    ]
    done = _verify(record, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout
    assert f"8 sheets = participations per voter group ({GROUP} 8)" in done.stdout


def test_the_verifier_imports_only_the_standard_library_and_pysodium():
    """verify_record.py and the one module next to it that it imports (record_group.py)."""
    imported = set()
    for path in (VERIFIER, VERIFIER.with_name("record_group.py")):
        tree = ast.parse(path.read_text())
        imported |= {
            name.split(".")[0]
            for node in ast.walk(tree)
            for name in (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module] if isinstance(node, ast.ImportFrom) else []
            )
        }  # fmt: skip
    assert imported == {
        "argparse",
        "ctypes",
        "hashlib",
        "json",
        "math",
        "multiprocessing",
        "os",
        "sys",
        "pysodium",
        "record_group",
    }


def _added_sheet(record, built):
    sheet = sheet_encrypt(joint_key=built["h"], ballot_id=BALLOT, layout=LAYOUT, choices=[2, 2])
    record["sheets"].append({"tracker": tracker(sheet), "sheet": sheet, "group": GROUP})


def _added_sheet_and_participation(record, built):
    _added_sheet(record, built)
    record["participations"][GROUP] += 1


def _copied_sheet(record, built):
    record["sheets"].append(copy.deepcopy(record["sheets"][0]))
    record["participations"][GROUP] += 1


def _copied_slot(record, built):
    # Copy one slot of another sheet, tracker recomputed: a sheet stitched from others.
    victim = record["sheets"][1]["sheet"]
    victim["subjects"][0]["slots"][0] = copy.deepcopy(
        record["sheets"][0]["sheet"]["subjects"][0]["slots"][0]
    )
    record["sheets"][1]["tracker"] = tracker(victim)


def _copied_slot_second_spelling(record, built):
    # The same, with bit 255 of the copied `a` set: the same point to libsodium 1.0.18,
    # other bytes to a duplicate check that compares spellings.
    _copied_slot(record, built)
    victim = record["sheets"][1]["sheet"]
    victim["subjects"][0]["slots"][0]["a"] = top_bit_set(victim["subjects"][0]["slots"][0]["a"])
    record["sheets"][1]["tracker"] = tracker(victim)


def _edited_ciphertext(record, built):
    slot = record["sheets"][2]["sheet"]["subjects"][1]["slots"][1]
    slot["b"] = base_mul(random_scalar()).hex()


def _edited_ciphertext_new_tracker(record, built):
    _edited_ciphertext(record, built)
    record["sheets"][2]["tracker"] = tracker(record["sheets"][2]["sheet"])


def _dropped_sheet(record, built):
    record["sheets"].pop()


def _dropped_sheet_and_participation(record, built):
    record["sheets"].pop()
    record["participations"][GROUP] -= 1


def _edited_count(record, built):
    record["counts"]["electronic"][GROUP][0][0] += 1


def _edited_total(record, built):
    record["counts"]["total"][1][2] += 1


def _edited_paper(record, built):
    record["paper"][0]["counts"][0][0] += 1


def _edited_partial(record, built):
    record["decryptions"][0]["partial"][1][0]["d"] = base_mul(random_scalar()).hex()


def _partial_posted_as_another_teller(record, built):
    record["decryptions"][0]["teller"] = 2


def _one_decryption(record, built):
    record["decryptions"].pop()


def _swapped_teller_key(record, built):
    other = ceremony(BALLOT, 3, 2)[0][0].to_json()
    record["tellers"]["published"][0] = other


def _swapped_teller_key_and_joint_key(record, built):
    publics = list(built["publics"])
    publics[0] = ceremony(BALLOT, 3, 2)[0][0]
    record["tellers"]["published"][0] = publics[0].to_json()
    record["joint_key"] = joint_key(publics).hex()


def _edited_commitment(record, built):
    record["tellers"]["published"][1]["commitments"][0] = base_mul(random_scalar()).hex()


def _edited_joint_key(record, built):
    record["joint_key"] = base_mul(random_scalar()).hex()


def _edited_tally(record, built):
    record["tally"][0][1]["a"] = base_mul(random_scalar()).hex()


FORGERIES = {
    "an added sheet": (_added_sheet, f"sheets of {GROUP}: 9 sheets but 8 recorded as voted"),
    "an added sheet with an added participation": (
        _added_sheet_and_participation, "not the sum of its group's sheets"),
    "a copied sheet": (_copied_sheet, "sheet 9 (", ),
    "a slot copied from another sheet": (_copied_slot, "ciphertext copied from sheet 1"),
    "a slot copied, spelled with bit 255 set": (
        _copied_slot_second_spelling, "subject 1 slot 1.a: not a point of ristretto255"),
    "an edited ciphertext": (_edited_ciphertext, "sheet 3 ("),
    "an edited ciphertext with its tracker recomputed": (
        _edited_ciphertext_new_tracker, "subject 2 slot 2: the proof that it holds 0 or 1"),
    "a dropped sheet": (_dropped_sheet, f"sheets of {GROUP}: 7 sheets but 8 recorded as voted"),
    "a dropped sheet and participation": (_dropped_sheet_and_participation, "not the sum of its group's sheets"),
    "an edited count": (_edited_count, f"subject 1 (县教育局): electronic counts of {GROUP}"),
    "an edited total": (_edited_total, "subject 2 (县卫健局): total counts"),
    "an edited paper count": (_edited_paper, "subject 1 (县教育局): total counts"),
    "an edited partial decryption": (
        _edited_partial, "teller 1 subject 2 slot 1: the proof of correct decryption"),
    "a partial decryption posted as another teller": (
        _partial_posted_as_another_teller, "teller 2 subject 1 slot 1: the proof of correct decryption"),
    "fewer than k decryptions": (_one_decryption, "1 tellers decrypted, 2 are needed"),
    "a teller's key swapped": (_swapped_teller_key, "joint key: not the sum"),
    "a teller's key swapped, joint key recomputed": (
        _swapped_teller_key_and_joint_key, "sheet 1 ("),
    "a teller's commitment edited": (_edited_commitment, "teller 2: the proof of knowledge"),
    "an edited joint key": (_edited_joint_key, "joint key: not the sum"),
    "an edited summed ciphertext": (_edited_tally, "tally row 1 slot 2: not the sum"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_a_forgery_fails_naming_what_is_wrong(name, built, tmp_path):
    change, message = FORGERIES[name]
    record = copy.deepcopy(built["record"])
    change(record, built)
    done = _verify(record, tmp_path)
    assert done.returncode == 1, done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("FAIL") and message in last, last


@pytest.mark.parametrize("why", sorted(BAD_POINTS))
def test_a_sheet_with_an_encoding_ristretto255_refuses_fails_naming_it(why, built, tmp_path):
    record = copy.deepcopy(built["record"])
    sheet = record["sheets"][1]["sheet"]
    sheet["subjects"][1]["slots"][0]["b"] = BAD_POINTS[why]
    record["sheets"][1]["tracker"] = tracker(sheet)
    done = _verify(record, tmp_path)
    last = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 1 and "subject 2 slot 1.b: not a point of ristretto255" in last


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_one_process_or_several_give_the_same_verdict(jobs, built, tmp_path):
    assert _verify(built["record"], tmp_path, "--jobs", jobs).returncode == 0
    record = copy.deepcopy(built["record"])
    _edited_ciphertext_new_tracker(record, built)
    done = _verify(record, tmp_path, "--jobs", jobs)
    assert done.returncode == 1
    assert (
        "sheet 3 (" in done.stdout
        and "subject 2 slot 2: the proof that it holds 0 or 1" in done.stdout
    )
