"""Backups: the database and the uploaded files in one archive, never the sealing keys.

An archive (`shuzhi-backup-<date>-<time>.tar.gz`, mode 0600) holds `manifest.json`, the
database — a `pg_dump -Fc` dump, or a copy of a SQLite file — and `private/`, the files
under PRIVATE_MEDIA_ROOT. SEALING_KEY_DIR is left out even when it lies inside
PRIVATE_MEDIA_ROOT: a key copied together with the database opens every ballot sheet cast
while it was open (README, "The key directory and backups"). So a ballot or questionnaire
that is open when a backup is restored cannot be counted; the README says what to do.

A restore goes only into an empty database and an empty PRIVATE_MEDIA_ROOT, so it can never
overwrite live data.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .errors import ApplicationError

PREFIX = "shuzhi-backup-"
SUFFIX = ".tar.gz"
FORMAT = 1
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"


def backup_create(*, target_dir: Path) -> Path:
    """Write a new archive into target_dir and return its path."""
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = target_dir / f"{PREFIX}{stamp}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = target_dir / f"{PREFIX}{stamp}-{n}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".incomplete-") as work:
        work = Path(work)
        database = _dump_database(work)
        files = _private_files()
        manifest = {
            "format": FORMAT,
            "created": timezone.localtime().isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "database": database.name,
            "files": len(files),
            "migrations": _latest_migrations(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = work / path.name
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(database, arcname=database.name)
            root = Path(settings.PRIVATE_MEDIA_ROOT)
            for file in files:
                tar.add(file, arcname=f"private/{file.relative_to(root).as_posix()}")
        partial.chmod(0o600)
        # Renamed into place only once complete: a listed archive is always a whole one.
        os.replace(partial, path)
    return path


def backups_prune(*, target_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (0 keeps all); return the deleted ones."""
    if keep <= 0:
        return []
    archives = sorted(target_dir.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    old = archives[:-keep]
    for path in old:
        path.unlink()
    return old


def backup_restore(*, archive: Path) -> dict:
    """Restore an archive into the configured, empty database and PRIVATE_MEDIA_ROOT."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    with tarfile.open(archive, "r:gz") as tar:
        manifest = _read_manifest(tar)
        if manifest["engine"] != connection.vendor:
            raise ApplicationError(
                f"备份来自 {manifest['engine']} 数据库，当前配置的是 {connection.vendor}，不能恢复。"
            )
        if connection.introspection.table_names():
            raise ApplicationError(
                f"数据库 {connection.settings_dict['NAME']} 不是空的。请恢复到一个新建的空数据库。"
            )
        if root.exists() and any(p.is_file() for p in root.rglob("*")):
            raise ApplicationError(f"文件目录 {root} 不是空的。请恢复到一个空目录。")
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=root.parent, prefix=".restore-") as work:
            work = Path(work)
            # The "data" filter refuses absolute paths, "..", links out of the tree and devices.
            tar.extractall(work, filter="data")
            _load_database(work / manifest["database"])
            if (work / "private").is_dir():
                shutil.copytree(work / "private", root, dirs_exist_ok=True)
    return manifest


def _dump_database(work: Path) -> Path:
    if connection.vendor == "postgresql":
        target = work / PG_DUMP
        _run(["pg_dump", "--format=custom", f"--file={target}"], "pg_dump")
    elif connection.vendor == "sqlite":
        target = work / SQLITE_COPY
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise ApplicationError(f"不支持备份 {connection.vendor} 数据库。")
    return target


def _load_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                str(dump),
            ],
            "pg_restore",
            dbname_flag="--dbname",
        )
    else:
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        shutil.copyfile(dump, name)


def _run(command: list[str], tool: str, *, dbname_flag: str = "") -> None:
    """Run a PostgreSQL client tool against the configured database."""
    from django.db.backends.postgresql.client import DatabaseClient

    # The same connection options psql (`manage.py dbshell`) would use; password by environment.
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    *options, dbname = args[1:]
    command = [*command[:1], *options, *command[1:]]
    if dbname_flag:
        command[-1:-1] = [dbname_flag, dbname]
    else:
        command.append(dbname)
    try:
        subprocess.run(
            command, env={**os.environ, **(env or {})}, check=True, capture_output=True, text=True
        )
    except FileNotFoundError as exc:
        raise ApplicationError(f"找不到 {tool}：请安装 postgresql-client。") from exc
    except subprocess.CalledProcessError as exc:
        raise ApplicationError(f"{tool} 失败：{exc.stderr.strip()}") from exc


def _private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    keys = Path(settings.SEALING_KEY_DIR).resolve()
    if not root.is_dir():
        return []
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        # Never descend into the key directory, wherever it is configured.
        dirnames[:] = [d for d in dirnames if (here / d).resolve() != keys]
        files += [here / f for f in sorted(filenames) if (here / f).is_file()]
    return [f for f in files if not f.is_symlink()]


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile("manifest.json")
        manifest = json.load(member)
    except (KeyError, ValueError) as exc:
        raise ApplicationError("这不是本系统的备份文件（缺少 manifest.json）。") from exc
    if manifest.get("format") != FORMAT:
        raise ApplicationError("备份文件的格式版本不符。")
    return manifest
