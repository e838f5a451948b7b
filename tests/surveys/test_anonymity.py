"""Questionnaire answers tried from a database reader's side on PostgreSQL: every column and
system column (xmin, xmax, ctid), dead tuples through pageinspect, lengths and ids."""

import base64

import pytest
from django.db import connection
from django.test import Client

from core.keystore import key_exists, key_read
from surveys.models import AccessMode, Deputy, QuestionKind, Response
from surveys.services import (
    codes_issue_to_deputies,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
)
from tests.attacker import raw_database_bytes
from tests.factories import CampaignFactory, SubjectFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="system columns are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]
K = 10


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _submit_all(q, codes) -> list[str]:
    """Each deputy answers through the phone page; deputy i writes the opinion '意见i'."""
    rating = q.questions.filter(kind=QuestionKind.RATING).first()
    text = q.questions.filter(kind=QuestionKind.TEXT, subject=None).first()
    opinions = []
    for i, code in enumerate(codes):
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
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign, person_name="金立新")
    q = questionnaire_create(
        actor=office, campaign=campaign, title="征求意见", access_mode=AccessMode.PERSONAL
    )
    deputies = [Deputy.objects.create(name=f"代表{i}") for i in range(K + 3)]
    codes = codes_issue_to_deputies(actor=office, questionnaire=q, deputies=deputies)
    questionnaire_open(actor=office, questionnaire=q)

    opinions = _submit_all(q, codes[:K])  # one full batch
    assert Response.objects.count() == K
    _submit_all(q, codes[K : K + 2])  # two more wait sealed
    assert Response.objects.count() == K
    key = key_read(name=f"questionnaire-{q.pk}")
    questionnaire_close(actor=office, questionnaire=q)
    assert Response.objects.count() == K + 2 and not key_exists(name=f"questionnaire-{q.pk}")

    # 0. The key that opened the sealed rows is in no page of any table, nor in the WAL.
    raw = raw_database_bytes()
    for encoding in (key, key.hex().encode(), base64.b64encode(key), base64.urlsafe_b64encode(key)):
        assert encoding not in raw

    # 1. Transaction ids: no response or answer was written by a code's transaction.
    code_xids = {r[0] for r in _rows("SELECT xmin::text FROM surveys_respondentcode WHERE used")}
    written = {
        r[0]
        for r in _rows("SELECT xmin::text FROM surveys_response")
        + _rows("SELECT xmin::text FROM surveys_answer")
    }
    assert len(code_xids) == K + 2 and not code_xids & written

    # 2. Dead sealed rows (pageinspect): each carries a code's xmin, and the batch's xid as
    # xmax: that links a code to its batch of at least K, no further. All have one length.
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    blocks = _rows(
        "SELECT pg_relation_size('surveys_sealedresponse') / current_setting('block_size')::int"
    )[0][0]
    dead = []
    for block in range(blocks):
        dead += _rows(
            "SELECT t_xmin::text, t_xmax::text, lp_len FROM heap_page_items("
            "get_raw_page('surveys_sealedresponse', %s)) WHERE lp_len > 0",
            [block],
        )
    assert len(dead) == K + 2
    assert {xmin for xmin, _, _ in dead} == code_xids
    assert len({length for *_, length in dead}) == 1, "sealed rows differ in length"
    batches = {}
    for _, xmax, _ in dead:
        batches[xmax] = batches.get(xmax, 0) + 1
    response_batches = {}
    for (xmin,) in _rows("SELECT xmin::text FROM surveys_response"):
        response_batches[xmin] = response_batches.get(xmin, 0) + 1
    assert batches == response_batches and sorted(batches.values()) == [2, K]

    # 3. Row order and ids: inside the full batch the physical order is a shuffle, and the
    # ids are random, so neither gives the submission order back.
    batch_xid = next(x for x, n in response_batches.items() if n == K)
    in_order = [
        r[0]
        for r in _rows(
            "SELECT a.text FROM surveys_response r JOIN surveys_answer a ON a.response_id = r.id"
            " WHERE r.xmin::text = %s AND a.text <> '' ORDER BY r.ctid",
            [batch_xid],
        )
    ]
    by_id = [
        r[0]
        for r in _rows(
            "SELECT a.text FROM surveys_response r JOIN surveys_answer a ON a.response_id = r.id"
            " WHERE r.xmin::text = %s AND a.text <> '' ORDER BY r.id",
            [batch_xid],
        )
    ]
    assert sorted(in_order) == sorted(opinions)
    assert in_order != opinions and by_id != opinions  # chance of either: 1 in 10!
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
