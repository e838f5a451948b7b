"""`make run` in one process: what `make run` used to do in four (check the local
database, migrate, load the demo, serve), each of which started Django anew.

On a checkout that is already set up nothing is migrated or loaded, so the server answers
about as fast as `runserver` itself (benchmarks/make_run.py). The server runs without
the autoreloader, as in production: a second Django process that only watches files is
of no use to someone trying the app."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def _unapplied() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "本机运行：必要时迁移数据库、载入演示数据，然后启动网站（make run）。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        call_command("dev_db_check")
        if _unapplied():
            call_command("migrate", interactive=False, verbosity=1)
        call_command("load_demo")
        self.stdout.write("")
        self.stdout.write(
            f"述职评议工作系统已启动：http://{addrport}/  （办公室管理后台：http://{addrport}/admin/）"
        )
        self.stdout.write("按 Ctrl+C 停止。")
        call_command("runserver", addrport, use_reloader=False)
