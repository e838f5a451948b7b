"""`manage.py restore <archive>`: into the configured database, which must be empty (a newly
created one), and an empty PRIVATE_MEDIA_ROOT; then `manage.py migrate` brings an older
backup up to this version."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backup import backup_restore
from core.errors import ApplicationError


class Command(BaseCommand):
    help = "把备份恢复到当前配置的空数据库和空文件目录。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="manage.py backup 生成的 .tar.gz 文件")

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份文件 {archive}。")
        try:
            manifest = backup_restore(archive=archive)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已恢复 {archive.name}（备份于 {manifest['created']}）："
            f"数据库 {connection.settings_dict['NAME']}，"
            f"{manifest['files']} 个文件到 {settings.PRIVATE_MEDIA_ROOT}。"
        )
        self.stdout.write(
            "接着运行 manage.py migrate。备份时仍在进行的投票和问卷没有密钥（密钥从不备份），"
            "不能计票：请另行组织一轮。"
        )
