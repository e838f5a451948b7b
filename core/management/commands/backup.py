"""`manage.py backup`: one archive with the database and the uploaded files, never the keys.

Run nightly by deploy/shuzhi-backup.timer; copy the archives off the server as well.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_create, backups_prune
from core.errors import ApplicationError


class Command(BaseCommand):
    help = "备份数据库和上传的文件（不含 SEALING_KEY_DIR 中的密钥）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", type=Path, default=None, help="备份目录（默认 BACKUP_DIR）"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="只保留最新的几份备份，0 为全部保留（默认 BACKUP_KEEP）",
        )

    def handle(self, *args, output_dir, keep, **options):
        target = output_dir or Path(settings.BACKUP_DIR)
        try:
            path = backup_create(target_dir=target)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        size = path.stat().st_size / 1024 / 1024
        self.stdout.write(f"已备份：{path}（{size:.1f} MB）")
        for old in backups_prune(
            target_dir=target, keep=settings.BACKUP_KEEP if keep is None else keep
        ):
            self.stdout.write(f"已删除旧备份：{old.name}")
        # The only line a script needs: the archive's path.
        if options["verbosity"] == 0:
            self.stdout.write(str(path))
