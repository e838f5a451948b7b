"""/health/ answers without login, says which part fails, and shows no secret or location."""

import json
import socket

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_health_without_login_reports_each_check(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "OK", "cache": "OK", "disk": "OK"}
    assert "no-cache" in response["Cache-Control"]


def test_health_shows_no_secret_host_or_path(client):
    secrets = [
        settings.SECRET_KEY,
        socket.gethostname(),
        str(settings.PRIVATE_MEDIA_ROOT),
        str(settings.BASE_DIR),
        settings.DATABASES["default"]["NAME"],
    ]
    if settings.REDIS_URL:
        secrets.append(settings.REDIS_URL.split("//", 1)[1])
    for fmt in ("json", "text", "atom", "rss", "openmetrics", ""):
        body = client.get(f"/health/?format={fmt}" if fmt else "/health/").content.decode()
        for secret in secrets:
            assert str(secret) not in body, (fmt, secret)


def test_a_full_disk_fails_the_check(client, settings):
    settings.HEALTH_DISK_MAX_PERCENT = 0.001
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert "disk usage" in json.loads(response.content)["disk"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (as CI has)")
def test_with_a_broker_and_no_worker_the_worker_check_fails(client, settings):
    from config.celery_app import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    # A queue no worker consumes: even a worker running elsewhere on this Redis does not count.
    saved = app.conf.task_default_queue
    app.conf.task_default_queue = "health-test-nobody"
    try:
        response = client.get("/health/?format=json")
    finally:
        app.conf.task_default_queue = saved
    assert response.status_code == 500
    result = json.loads(response.content)
    assert result["celery-worker"] != "OK" and result["database"] == "OK"


def test_the_page_speaks_chinese(client):
    response = client.get("/health/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'lang="zh-Hans"' in page and "系统状态" in page and "全部正常" in page
    for label in ("数据库", "缓存", "磁盘空间"):
        assert label in page
    assert "System status" not in page and "Service" not in page and "Timing" not in page


def test_a_failure_is_told_in_chinese_on_the_page_and_in_json(client, settings):
    settings.HEALTH_DISK_MAX_PERCENT = 0.001
    response = client.get("/health/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "有检查项出现故障" in page and "磁盘空间不足" in page and "故障" in page
    result = json.loads(client.get("/health/?format=json").content)
    assert result["disk"].startswith("存放上传文件的磁盘空间不足") and result["database"] == "OK"
    text = client.get("/health/?format=text").content.decode()
    assert "disk: 存放上传文件的磁盘空间不足" in text
