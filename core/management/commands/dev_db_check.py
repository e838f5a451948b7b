"""make run on a laptop that ran an older version: if the local SQLite database records
migrations this version no longer has (the apps were restructured and their migrations
regenerated), move it aside so that migrate builds a fresh one and the demo is loaded
again. Never touches any other database."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.loader import MigrationLoader


class Command(BaseCommand):
    help = "本机 SQLite 演示数据库来自旧版本时，将其改名保存，以便重建。"

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            return
        path = Path(connection.settings_dict["NAME"])
        if not path.exists() or path.parent != Path(settings.BASE_DIR):
            return
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        stale = set(loader.applied_migrations) - set(loader.disk_migrations)
        if not stale:
            return
        connection.close()
        kept = path.with_name(f"{path.name}.old-{datetime.datetime.now():%Y%m%d%H%M%S}")
        path.rename(kept)
        self.stdout.write(f"本机演示数据库来自旧版本，已改名保存为 {kept.name}，将重新建立。")
