"""The app runs on SQLite with eager Celery by default, and on PostgreSQL + Redis when told."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    "'broker': s.CELERY_BROKER_URL, 'cache': s.CACHES['default']['BACKEND'],"
    "'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'debug': s.DEBUG}))"
)


def _settings_under(env_changes: dict) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG")
    }
    env.update(env_changes, DJANGO_SETTINGS_MODULE="config.settings.local")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default():
    s = _settings_under({})
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["eager"] is True
    assert s["broker"] == "memory://"
    assert s["cache"].endswith("LocMemCache")
    assert (s["lang"], s["tz"], s["use_tz"]) == ("zh-hans", "Asia/Shanghai", True)


def test_make_run_serves_with_debug_off_unless_asked():
    assert _settings_under({})["debug"] is False
    assert _settings_under({"DJANGO_DEBUG": "1"})["debug"] is True


def test_whitenoise_serves_static_files_without_collectstatic(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b".brand-mark" in b"".join(response.streaming_content)


def test_real_services_when_configured():
    s = _settings_under(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        }
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["eager"] is False
    assert s["broker"] == "redis://127.0.0.1:6379/1"
    assert s["cache"].endswith("RedisCache")


def test_dates_shown_in_chinese_form():
    import datetime

    from core.formats import cn_date

    assert cn_date(datetime.date(2017, 8, 15)) == "2017年8月15日"
