from django.core.management.base import BaseCommand
from django.utils import timezone

from ...reminders import reminders_sweep


class Command(BaseCommand):
    help = "发送今天到期的期限提醒（可重复运行，不会重复发送）。没有 Celery beat 时可用 cron 每小时运行。"

    def handle(self, *args, **options):
        self.stdout.write(str(reminders_sweep(today=timezone.localdate())))
