"""With Redis down, asking for a PDF answers at once with a message, leaves no job stuck
"queued", and can be asked for again as soon as the queue is back."""

import uuid

import pytest
from django.conf import settings
from kombu import Exchange, Queue

from config.celery_app import app as celery_app
from core.models import DocumentStatus, RenderedDocument
from tests.factories import (
    BriefingFactory,
    ReviewOpinionFactory,
    SubjectFactory,
    briefing_form_data,
)

# Commit hooks run as in production: the publish happens after the request's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = 8548  # nothing listens here


@pytest.fixture
def broker():
    """Celery as deployed (not eager), its broker switchable between down and the real one;
    what the test publishes goes to a queue of its own, emptied afterwards."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url, conf.task_default_queue
    queue = f"test-{uuid.uuid4().hex[:8]}"

    def use(url: str) -> None:
        conf.broker_url = url
        # Celery keeps its connection and producer pools for the first URL it saw.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.task_always_eager, conf.task_default_queue = False, queue

    class Broker:
        def down(self):
            use(f"redis://127.0.0.1:{CLOSED_PORT}/0")

        def up(self):
            use(settings.CELERY_BROKER_URL)

    try:
        yield Broker()
    finally:
        use(settings.CELERY_BROKER_URL)
        with celery_app.connection_for_write() as connection:
            # Celery names the exchange and routing key after the default queue.
            Queue(queue, Exchange(queue), queue, channel=connection.default_channel).declare()
            connection.default_channel.queue_delete(queue)
        conf.task_always_eager, _, conf.task_default_queue = saved
        use(saved[1])


def test_a_document_render_with_the_queue_down(client, office, broker):
    subject = SubjectFactory(person_name="金立新")
    ReviewOpinionFactory(subject=subject, actor=office)
    client.force_login(office)
    broker.down()
    response = client.post(f"/documents/opinion/{subject.pk}/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "任务队列暂时不可用，请稍后重试" in page and "生成失败" in page
    document = RenderedDocument.objects.get(kind="opinion")
    assert document.status == "failed" and "任务队列暂时不可用" in document.error

    broker.up()
    response = client.post(f"/documents/opinion/{subject.pk}/", follow=True)
    assert "任务队列暂时不可用" not in response.content.decode()
    document.refresh_from_db()
    assert document.status == "queued" and document.error == ""  # on its way to a worker


def test_a_briefing_render_with_the_queue_down(client, office, broker):
    briefing = BriefingFactory(actor=office)
    client.force_login(office)
    broker.down()
    posted = briefing_form_data(briefing)
    response = client.post(f"/briefings/{briefing.pk}/render/", posted, follow=True)
    # The edits are saved; the page the view leads to says the render could not start.
    assert response.redirect_chain[-1][0] == f"/briefings/{briefing.pk}/"
    assert "任务队列暂时不可用，请稍后重试" in response.content.decode()
    assert briefing.document.status == DocumentStatus.FAILED, "not left queued for ten minutes"

    broker.up()
    response = client.post(f"/briefings/{briefing.pk}/render/", posted, follow=True)
    assert "正在生成 PDF" in response.content.decode()
    assert briefing.document.status == DocumentStatus.QUEUED
