"""Wrong questionnaire codes are throttled per client address; nothing about a code that
worked, nor the code or the address itself, is kept."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from surveys.models import AccessMode, Deputy, RespondentCode, Response, SealedResponse
from surveys.services import codes_issue_to_deputies, questionnaire_create, questionnaire_open
from tests.factories import CampaignFactory, SubjectFactory
from tests.surveys.test_surveys import form, post

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.QUESTIONNAIRE_BATCH_SIZE = 1
    settings.QUESTIONNAIRE_CODE_FAILURE_LIMIT = 3
    settings.QUESTIONNAIRE_CODE_FAILURE_WINDOW = 15 * 60


@pytest.fixture
def survey(office):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign, person_name="金立新")
    q = questionnaire_create(
        actor=office, campaign=campaign, title="征求意见", access_mode=AccessMode.PERSONAL
    )
    deputies = [Deputy.objects.create(name=f"代表{i}", delegation="城关镇代表组") for i in range(2)]
    codes = codes_issue_to_deputies(actor=office, questionnaire=q, deputies=deputies)
    questionnaire_open(actor=office, questionnaire=q)
    rating = q.questions.get(kind="rating")
    return q, codes, form(q, {rating.pk: "满意"})


def _submit(client, q, code, answers, **extra):
    return post(client, f"/q/{q.public_token}/", {"code": code, **answers}, **extra)


def test_after_too_many_wrong_codes_even_a_right_one_waits(client, survey):
    q, codes, answers = survey
    for guess in ("AAAA2222", "BBBB3333", "CCCC4444"):
        assert _submit(client, q, guess, answers).status_code == 400

    response = _submit(client, q, codes[0].code, answers)
    page = response.content.decode()
    assert response.status_code == 429 and "请稍后再试" in page
    # The code was not even looked at: still unused, nothing stored; the answers stay filled.
    assert not RespondentCode.objects.get(pk=codes[0].pk).used
    assert not Response.objects.exists() and not SealedResponse.objects.exists()
    assert codes[0].code in page and "checked" in page

    # Another address is not held up.
    other = _submit(client, q, codes[0].code, answers, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302 and SealedResponse.objects.filter(questionnaire=q).count() == 1


def test_a_used_code_counts_as_wrong_and_missing_answers_do_not(client, survey):
    q, codes, answers = survey
    assert _submit(client, q, codes[0].code, answers).status_code == 302
    for _ in range(2):
        assert _submit(client, q, codes[0].code, answers).status_code == 400  # used
    for _ in range(5):
        assert _submit(client, q, codes[1].code, {}).status_code == 400  # incomplete
    assert _submit(client, q, codes[1].code, answers).status_code == 302
    assert _submit(client, q, "DDDD5555", answers).status_code == 400
    assert _submit(client, q, "EEEE6666", answers).status_code == 429


@override_settings(CACHES=LOCAL_CACHE)
def test_only_failures_are_kept_and_they_expire(client, survey):
    q, codes, answers = survey
    store = cache._cache  # LocMemCache's dict: everything the throttle wrote
    assert _submit(client, q, codes[0].code, answers).status_code == 302
    assert not store, "a code that worked leaves nothing about its client"

    for guess in ("AAAA2222", "BBBB3333", "CCCC4444"):
        _submit(client, q, guess, answers)
    # One counter under a keyed hash of the address: neither the address nor a code.
    (key,) = store
    assert "127.0.0.1" not in key and "AAAA2222" not in key
    assert cache.get(key.split(":", 2)[2]) == 3
    assert _submit(client, q, codes[1].code, answers).status_code == 429

    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert _submit(client, q, codes[1].code, answers).status_code == 302
