from celery import shared_task

from .services.paper import ballot_remind_send


@shared_task(name="ballots.remind_send", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def ballot_remind_send_task(ballot_id: int, user_ids: list[int]) -> int:
    """Thin: send the reminder e-mails once the office's request has committed."""
    return ballot_remind_send(ballot_id=ballot_id, user_ids=user_ids)
