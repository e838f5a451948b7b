"""Questionnaire answers tried from the attacker's side on PostgreSQL: a database reader
(every column and system column: xmin, xmax, ctid; dead tuples through pageinspect; lengths
and ids) and root on the server (the worker's memory after close).

What is checked (README, "Threat model of the ballot and the questionnaires"):
- a sealed answer shares no transaction id with the code (or device mark) it used, and a
  written response shares none with either;
- batches are observable as the xmin groups of surveys_response rows (one transaction each):
  none is smaller than QUESTIONNAIRE_BATCH_SIZE (k), the close with a remainder included;
  fewer than k answers in all are one batch and their results stay hidden;
- one code submitted in parallel counts once; submissions racing the close are stored or
  refused, never lost; a failed sealing un-marks the code and asks again, in Chinese;
- after close no copy of the key is left in the memory of the worker that used it.
"""

import base64
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.test import Client

from core.errors import ApplicationError
from core.keystore import key_exists, key_read, key_write
from surveys.models import (
    AccessMode,
    Answer,
    Deputy,
    DeviceMark,
    QuestionKind,
    Questionnaire,
    RespondentCode,
    Response,
    SealedResponse,
)
from surveys.selectors import questionnaire_tallies, text_answers_visible_to
from surveys.services import (
    codes_issue_to_deputies,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
    response_submit,
)
from surveys.services.responses import SUBMIT_AGAIN
from tests.attacker import raw_database_bytes
from tests.factories import CampaignFactory, SubjectFactory, xlsx_download

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="system columns are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]
K = 10


@pytest.fixture(autouse=True)
def sealed_table_of_this_test_only():
    """Why this fixture: the dead tuples read below must be this test's only. A test that
    ran before on the same database inside a rolled-back transaction (pytest-django's `db`)
    leaves its aborted sealed rows in the table's pages until a vacuum, and autovacuum may
    prune this test's own dead rows half-way through. So the table starts empty on a new
    file (TRUNCATE) and autovacuum leaves it alone until the test ends."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE surveys_sealedresponse")
        cursor.execute("ALTER TABLE surveys_sealedresponse SET (autovacuum_enabled = false)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE surveys_sealedresponse RESET (autovacuum_enabled)")


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _batches(q) -> list[int]:
    """Responses per batch: each batch is one transaction, so one xmin."""
    return sorted(
        n
        for _, n in _rows(
            "SELECT xmin::text, count(*) FROM surveys_response WHERE questionnaire_id = %s"
            " GROUP BY 1",
            [q.pk],
        )
    )


def _sealed_tuples() -> list[tuple[str, str, int]]:
    """Every tuple of surveys_sealedresponse, live or dead: (xmin, xmax, length)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    blocks = _rows(
        "SELECT pg_relation_size('surveys_sealedresponse') / current_setting('block_size')::int"
    )[0][0]
    tuples = []
    for block in range(blocks):
        tuples += _rows(
            "SELECT t_xmin::text, t_xmax::text, lp_len FROM heap_page_items("
            "get_raw_page('surveys_sealedresponse', %s)) WHERE lp_len > 0",
            [block],
        )
    return tuples


def _questionnaire(office, *, deputies: int = 0, mode=AccessMode.PERSONAL, title="征求意见"):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign, person_name="金立新")
    q = questionnaire_create(actor=office, campaign=campaign, title=title, access_mode=mode)
    codes = []
    if deputies:
        people = [Deputy.objects.create(name=f"代表{i}") for i in range(deputies)]
        codes = codes_issue_to_deputies(actor=office, questionnaire=q, deputies=people)
    questionnaire_open(actor=office, questionnaire=q)
    return q, codes


def _answers(q, i: int = 0) -> dict[int, str]:
    rating = q.questions.filter(kind=QuestionKind.RATING).first()
    return {rating.pk: q.rating_options[i % 3]}


def _submit_all(q, codes, start: int = 0) -> list[str]:
    """Each deputy answers through the phone page; deputy i writes the opinion '意见i'."""
    rating = q.questions.filter(kind=QuestionKind.RATING).first()
    text = q.questions.filter(kind=QuestionKind.TEXT, subject=None).first()
    opinions = []
    for i, code in enumerate(codes, start=start):
        opinion = f"意见{i:02d}" + "。" * (i * 37)  # lengths differ from deputy to deputy
        response = Client().post(
            f"/q/{q.public_token}/",
            {"code": code.code, f"q{rating.pk}": str(i % 3), f"q{text.pk}": opinion},
        )
        assert response.status_code == 302, response.content.decode()[-500:]
        opinions.append(opinion)
    return opinions


def test_no_response_can_be_linked_to_the_code_that_produced_it(office, settings):
    settings.QUESTIONNAIRE_BATCH_SIZE = K
    q, codes = _questionnaire(office, deputies=2 * K + 3)
    opinions = _submit_all(q, codes[: 2 * K])  # at 2k: a batch of k written, k held back
    assert Response.objects.count() == K and SealedResponse.objects.count() == K
    opinions += _submit_all(q, codes[2 * K :], start=2 * K)  # three more wait sealed with them
    assert Response.objects.count() == K and SealedResponse.objects.count() == K + 3
    key = key_read(name=f"questionnaire-{q.pk}")
    live_sealed = {r[0] for r in _rows("SELECT xmin::text FROM surveys_sealedresponse")}
    questionnaire_close(actor=office, questionnaire=q)
    assert Response.objects.count() == 2 * K + 3 and not key_exists(name=f"questionnaire-{q.pk}")

    # 0. The key that opened the sealed rows is in no page of any table, nor in the WAL.
    raw = raw_database_bytes()
    for encoding in (key, key.hex().encode(), base64.b64encode(key), base64.urlsafe_b64encode(key)):
        assert encoding not in raw

    # 1. Transaction ids: a code's transaction wrote no sealed answer, response or answer,
    # and the sealed answers' transactions wrote no response.
    code_xids = {r[0] for r in _rows("SELECT xmin::text FROM surveys_respondentcode WHERE used")}
    written = {
        r[0]
        for r in _rows("SELECT xmin::text FROM surveys_response")
        + _rows("SELECT xmin::text FROM surveys_answer")
    }
    sealed = _sealed_tuples()  # all dead now: each was written out in its batch
    sealed_xids = {xmin for xmin, _, _ in sealed}
    assert len(code_xids) == 2 * K + 3 and len(sealed) == 2 * K + 3
    assert live_sealed <= sealed_xids and len(sealed_xids) == 2 * K + 3  # one transaction each
    assert not code_xids & sealed_xids, "a sealed answer shares its code's transaction"
    assert not code_xids & written and not sealed_xids & written
    assert len({length for *_, length in sealed}) == 1, "sealed rows differ in length"

    # 2. Batches: each dead sealed row's xmax is the transaction of the batch that wrote it
    # out; that links a code (through neighbouring transaction ids at best) to a batch of
    # at least k, no further. The close wrote the k held back with the three: 13, not 3.
    dead_batches = Counter(xmax for _, xmax, _ in sealed)
    response_batches = Counter(r[0] for r in _rows("SELECT xmin::text FROM surveys_response"))
    assert dead_batches == response_batches and sorted(response_batches.values()) == [K, K + 3]

    # 3. Row order and ids: inside a batch the physical order is a shuffle, and the ids are
    # random, so neither gives the submission order back.
    for batch_xid in response_batches:
        in_order, by_id = (
            [
                r[0]
                for r in _rows(
                    "SELECT a.text FROM surveys_response r JOIN surveys_answer a"
                    " ON a.response_id = r.id WHERE r.xmin::text = %s AND a.text <> ''"
                    f" ORDER BY {order}",
                    [batch_xid],
                )
            ]
            for order in ("r.ctid", "r.id")
        )
        submitted = [o for o in opinions if o in in_order]
        assert sorted(in_order) == sorted(submitted) and len(in_order) >= K
        assert in_order != submitted and by_id != submitted  # chance of either: 1 in 10!
    assert all(r.id.version == 4 for r in Response.objects.all())

    # 4. No column anywhere records when, who or with which code.
    columns = {
        table: {
            r[0]
            for r in _rows(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
            )
        }
        for table in ("surveys_response", "surveys_answer", "surveys_sealedresponse")
    }
    assert columns["surveys_response"] == {"id", "questionnaire_id"}
    assert columns["surveys_sealedresponse"] == {"id", "questionnaire_id", "ciphertext"}
    assert columns["surveys_answer"] == {"id", "response_id", "question_id", "option", "text"}
    assert not {
        r[0]
        for r in _rows(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'surveys_respondentcode'"
        )
    } & {"timestamp with time zone", "date", "time without time zone"}


def test_a_device_mark_shares_no_transaction_with_its_sealed_answer(office, settings):
    settings.QUESTIONNAIRE_BATCH_SIZE = 3
    q, _ = _questionnaire(office, mode=AccessMode.DEVICE)
    for i in range(4):
        response_submit(questionnaire=q, answers=_answers(q, i), device_token=f"device-{i}")
    marks = {r[0] for r in _rows("SELECT xmin::text FROM surveys_devicemark")}
    sealed = {r[0] for r in _rows("SELECT xmin::text FROM surveys_sealedresponse")}
    assert len(marks) == 4 and len(sealed) == 4 and not marks & sealed


def test_no_batch_is_smaller_than_k_whatever_the_total(office, settings):
    """k = 3, totals from k to 4k + 2: every batch written, the close's included, holds
    at least k responses, and together they hold every answer."""
    settings.QUESTIONNAIRE_BATCH_SIZE = k = 3
    seen = {}
    for total in (3, 4, 5, 6, 7, 8, 9, 11, 14):
        q, _ = _questionnaire(office, mode=AccessMode.DEVICE, title=f"共{total}份")
        for i in range(total):
            response_submit(questionnaire=q, answers=_answers(q, i), device_token=f"d{total}-{i}")
            assert all(n >= k for n in _batches(q)), (total, i, _batches(q))
        questionnaire_close(actor=office, questionnaire=q)
        seen[total] = _batches(q)
        assert sum(seen[total]) == total and min(seen[total]) >= k, seen
        assert sum(t.total for t in questionnaire_tallies(q)) == total
    # The close always had a remainder to merge: e.g. 7 = 3 written at 6, then 4 at close.
    assert seen[7] == [3, 4] and seen[11] == [3, 3, 5] and seen[14] == [3, 3, 3, 5]


def test_fewer_than_k_answers_in_all_are_counted_but_not_shown(office, settings, client):
    settings.QUESTIONNAIRE_BATCH_SIZE = 5
    q, codes = _questionnaire(office, deputies=3)
    text = q.questions.filter(kind=QuestionKind.TEXT, subject=None).first()
    for i, code in enumerate(codes[:2]):
        response_submit(
            questionnaire=q, answers={**_answers(q, i), text.pk: f"只有两人{i}"}, code=code.code
        )
    client.force_login(office)
    detail = client.get(f"/questionnaires/{q.pk}/").content.decode()
    assert 'data-testid="below-batch"' in detail  # the office is told before it closes
    questionnaire_close(actor=office, questionnaire=q)
    assert _batches(q) == [2] and Answer.objects.filter(text__startswith="只有两人").count() == 2
    assert questionnaire_tallies(q) == [] and not text_answers_visible_to(office, q).exists()
    page = client.get(f"/questionnaires/{q.pk}/results/").content.decode()
    assert 'data-testid="withheld"' in page and "少于 5 份" in page and "只有两人" not in page
    workbook = xlsx_download(client.get(f"/questionnaires/{q.pk}/results.xlsx"))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert not any("只有两人" in str(c) for c in cells) and "金立新" not in cells


def _parallel(n: int, work) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes = []

    def run(i):
        try:
            barrier.wait()
            work(i)
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_one_code_submitted_in_parallel_counts_once(office, settings):
    settings.QUESTIONNAIRE_BATCH_SIZE = 1
    q, codes = _questionnaire(office, deputies=2)
    outcomes = _parallel(
        16, lambda i: response_submit(questionnaire=q, answers=_answers(q, i), code=codes[0].code)
    )
    assert outcomes.count("ok") == 1, outcomes
    assert all("已经使用过" in o for o in outcomes if o != "ok")
    assert SealedResponse.objects.count() + Response.objects.count() == 1
    assert list(RespondentCode.objects.filter(used=True)) == [codes[0]]

    device, _ = _questionnaire(office, mode=AccessMode.DEVICE, title="链接")
    outcomes = _parallel(
        16,
        lambda i: response_submit(
            questionnaire=device, answers=_answers(device, i), device_token="one"
        ),
    )
    assert (
        outcomes.count("ok") == 1 and DeviceMark.objects.filter(questionnaire=device).count() == 1
    )
    assert SealedResponse.objects.filter(questionnaire=device).count() == 1


def test_submissions_racing_the_close_are_stored_or_refused_never_lost(office, settings):
    settings.QUESTIONNAIRE_BATCH_SIZE = 2
    q, codes = _questionnaire(office, deputies=20)

    def work(i):
        if i == 20:
            questionnaire_close(actor=office, questionnaire=Questionnaire.objects.get(pk=q.pk))
        else:
            response_submit(questionnaire=q, answers=_answers(q, i), code=codes[i].code)

    outcomes = _parallel(21, work)
    accepted = outcomes.count("ok") - 1  # the close's own "ok"
    assert all(o == "ok" or "不在收集期内" in o for o in outcomes), outcomes
    assert Questionnaire.objects.get(pk=q.pk).status == "closed"
    assert not SealedResponse.objects.exists(), "a sealed answer was left behind by the close"
    assert Response.objects.count() == accepted == RespondentCode.objects.filter(used=True).count()
    assert all(n >= 2 for n in _batches(q)) or accepted < 2


def test_failed_sealing_unmarks_the_code_and_asks_again(office, settings):
    """The key file is damaged after the code was marked: the mark is taken back in a
    compensating transaction and the respondent is told, in Chinese, to submit again."""
    settings.QUESTIONNAIRE_BATCH_SIZE = 1
    q, codes = _questionnaire(office, deputies=1)
    name = f"questionnaire-{q.pk}"
    good = key_read(name=name)
    key_write(name=name, data=b"not a key")  # AES refuses a 9-byte key
    rating = q.questions.filter(kind=QuestionKind.RATING).first()
    page = Client().post(f"/q/{q.public_token}/", {"code": codes[0].code, f"q{rating.pk}": "0"})
    assert page.status_code == 400 and SUBMIT_AGAIN in page.content.decode()
    assert "请重新提交" in SUBMIT_AGAIN and "仍可使用" in SUBMIT_AGAIN
    assert not RespondentCode.objects.get(pk=codes[0].pk).used
    assert not SealedResponse.objects.exists() and not Response.objects.exists()
    # The code's row was marked, then un-marked: two transactions, neither wrote an answer.
    assert _sealed_tuples() == []

    key_write(name=name, data=good)
    again = Client().post(f"/q/{q.public_token}/", {"code": codes[0].code, f"q{rating.pk}": "0"})
    assert again.status_code == 302 and RespondentCode.objects.get(pk=codes[0].pk).used
    assert SealedResponse.objects.count() == 1

    device, _ = _questionnaire(office, mode=AccessMode.DEVICE, title="链接")
    key_write(name=f"questionnaire-{device.pk}", data=b"short")
    with pytest.raises(ApplicationError) as refused:
        response_submit(questionnaire=device, answers=_answers(device), device_token="phone")
    assert refused.value.message == SUBMIT_AGAIN
    assert not DeviceMark.objects.filter(questionnaire=device).exists()


_WORKER = """
import sys, django
django.setup()
from django.contrib.auth import get_user_model
from surveys.models import Questionnaire, QuestionKind
from surveys.services import questionnaire_close, response_submit
from core.keystore import key_read
q = Questionnaire.objects.get(pk=int(sys.argv[1]))
rating = q.questions.get(kind=QuestionKind.RATING)
for i in range(int(sys.argv[2])):
    response_submit(questionnaire=q, answers={rating.pk: q.rating_options[0]}, device_token=f"w{i}")
if sys.argv[3] == "keep-a-copy":  # the control: a bytes copy, as the code did before
    kept = bytes(key_read(name=f"questionnaire-{q.pk}"))
elif sys.argv[3] == "close":
    questionnaire_close(actor=get_user_model().objects.get(pk=int(sys.argv[4])), questionnaire=q)
print("ready", flush=True)
sys.stdin.readline()
"""


def _memory_hits(pid: int, needle: bytes) -> int:
    hits = 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or line.rstrip().endswith(("[vvar]", "[vsyscall]")):
                continue
            low, high = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(low)
                hits += mem.read(high - low).count(needle)
            except (OSError, ValueError, OverflowError):
                continue
    return hits


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="reads a process's memory")
def test_no_copy_of_the_key_is_left_in_the_worker_after_close(office, settings):
    """Root scans the memory of a worker that sealed answers and has just written a batch
    (nothing else ran after: freed memory is still unreused), and of one that went on to
    close the questionnaire: the key is found in neither. The control keeps one `bytes`
    copy and the same scan finds it; reading the key as `bytes` without overwriting it, as
    the code did before, is found in the first worker too (measured when this was written).
    """
    settings.QUESTIONNAIRE_BATCH_SIZE = 2
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{k: connection.settings_dict[k] or "" for k in ("USER", "HOST", "PORT", "NAME")}
        ),
        "SEALING_KEY_DIR": str(django_settings.SEALING_KEY_DIR),
        "QUESTIONNAIRE_BATCH_SIZE": "2",
    }
    if connection.settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    found = {}
    for mode, submissions in (("keep-a-copy", 1), ("batch", 4), ("close", 5)):
        q, _ = _questionnaire(office, mode=AccessMode.DEVICE, title=mode)
        key = bytes(key_read(name=f"questionnaire-{q.pk}"))  # the attacker's reference copy
        worker = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(q.pk), str(submissions), mode, str(office.pk)],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert worker.stdout.readline().strip() == "ready"
            found[mode] = (_memory_hits(worker.pid, key), _memory_hits(worker.pid, key[:16]))
        finally:
            worker.communicate("\n", timeout=60)
    assert found["keep-a-copy"][0] >= 1, "the scan cannot find even a planted copy"
    assert found["batch"] == found["close"] == (0, 0), f"key left in a worker: {found}"
    assert Questionnaire.objects.get(title="close").responses.count() == 5
