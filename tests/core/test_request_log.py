"""Each request is one log line — method, path, status, duration, user id — and nothing a
user typed: no form field, no query string, in either log format."""

import io
import json
import logging

import pytest
from django.test import RequestFactory

from core.request_log import JsonFormatter, TextFormatter
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECRETS = ("Hunter2-密码", "RECEIPT-CODE-77", "line\nbreak", "nul\x00byte", "q-code-4711")


@pytest.fixture
def logs():
    """Everything logged while the test runs, in both formats."""
    streams = {"json": io.StringIO(), "text": io.StringIO()}
    handlers = []
    for name, formatter in (("json", JsonFormatter()), ("text", TextFormatter())):
        handler = logging.StreamHandler(streams[name])
        handler.setFormatter(formatter)
        handlers.append(handler)
        logging.getLogger().addHandler(handler)
    try:
        yield streams
    finally:
        for handler in handlers:
            logging.getLogger().removeHandler(handler)


def _request_lines(stream) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "core.request"]


def test_one_line_per_request_with_its_fields(client, logs, make_user):
    user = make_user(username="weiyuan")
    client.post("/accounts/login/", {"username": "weiyuan", "password": PASSWORD})
    client.get("/my-work/")
    first, second = _request_lines(logs["json"])
    assert first["method"] == "POST" and first["path"] == "/accounts/login/"
    assert first["status"] == 302 and first["user_id"] == user.pk
    assert isinstance(first["duration_ms"], int)
    assert (second["path"], second["status"], second["user_id"]) == ("/my-work/", 200, user.pk)
    text = [line for line in logs["text"].getvalue().splitlines() if "core.request" in line]
    assert text[1].endswith(
        f"method=GET path=/my-work/ status=200 duration_ms={second['duration_ms']} user_id={user.pk}"
    )


def test_passwords_codes_and_control_characters_never_reach_the_log(client, logs, make_user):
    make_user(username="weiyuan")
    client.post(
        "/accounts/login/?next=/my-work/&code=RECEIPT-CODE-77",
        {"username": "weiyuan", "password": "Hunter2-密码", "code": "q-code-4711"},
    )
    client.post("/accounts/login/", {"username": "nul\x00byte", "password": "line\nbreak"})
    client.get("/ballots/1/receipt/", {"code": "RECEIPT-CODE-77"})
    client.get("/a%0Ab%00c/")  # a path that decodes to a newline and a NUL
    for stream in logs.values():
        output = stream.getvalue()
        for secret in SECRETS:
            assert secret not in output
        assert "\x00" not in output
    lines = _request_lines(logs["json"])
    assert [line["status"] for line in lines] == [200, 200, 302, 404]
    assert lines[-1]["path"] == "/a%0Ab%00c/"
    # One physical line per record in the text format too.
    text = logs["text"].getvalue().splitlines()
    assert sum("core.request" in line for line in text) == 4


def test_a_record_carrying_the_request_does_not_print_it(logs):
    request = RequestFactory().post("/accounts/login/?code=RECEIPT-CODE-77", {"password": "x"})
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, extra={"request": request, "status_code": 500}
    )
    assert "RECEIPT-CODE-77" not in logs["json"].getvalue()
    assert "RECEIPT-CODE-77" not in logs["text"].getvalue()
