"""`manage.py backup` and `manage.py restore`: a round trip gives the same database and files,
the sealing keys are never in an archive, and a restore never overwrites live data."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from django.db import connection

from core.backup import backup_create, backup_restore, backups_prune
from core.errors import ApplicationError
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def media(settings, tmp_path):
    """A private file and, inside the same tree, a key directory with a key in it."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SEALING_KEY_DIR = tmp_path / "private" / "keys"
    (tmp_path / "private" / "reports").mkdir(parents=True)
    (tmp_path / "private" / "reports" / "r1.pdf").write_bytes(b"%PDF-1.7 report")
    settings.SEALING_KEY_DIR.mkdir()
    (settings.SEALING_KEY_DIR / "ballot-1.key").write_bytes(b"SECRET-KEY-MATERIAL")
    return settings.PRIVATE_MEDIA_ROOT


def _pg_admin():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


def _pg_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="needs PostgreSQL and its client tools (as CI has)",
)
def test_postgresql_round_trip_into_a_fresh_database(media, tmp_path):
    user = UserFactory(username="weiyuan")
    archive = backup_create(target_dir=tmp_path / "backups")
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        assert "database.pgdump" in tar.getnames()

    name = f"{connection.settings_dict['NAME']}_restore"
    restored = tmp_path / "restored"
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            "DATABASE_URL": _pg_url(name),
            "PRIVATE_MEDIA_ROOT": str(restored),
            "SEALING_KEY_DIR": str(tmp_path / "keys2"),
        }
        out = _manage("restore", str(archive), **env)
        assert out.returncode == 0, out.stderr
        assert "已恢复" in out.stdout
        import psycopg

        with psycopg.connect(_pg_url(name)) as db:
            row = db.execute("SELECT password FROM auth_user WHERE username = 'weiyuan'").fetchone()
        assert row == (user.password,)
        assert (restored / "reports" / "r1.pdf").read_bytes() == b"%PDF-1.7 report"
        assert not (restored / "keys").exists()
        # Once it holds data, the same database is never restored over.
        again = _manage("restore", str(archive), **env)
        assert again.returncode != 0 and "不是空的" in again.stderr
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_sqlite_round_trip(tmp_path):
    source = tmp_path / "a.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE note (text TEXT)")
        db.execute("INSERT INTO note VALUES ('述职评议')")
    db.close()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "f.pdf").write_bytes(b"%PDF-")
    common = {
        "SEALING_KEY_DIR": str(tmp_path / "keys"),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    out = _manage(
        "backup",
        "--output-dir",
        str(tmp_path / "backups"),
        "-v0",
        DATABASE_URL=f"sqlite:///{source}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        **common,
    )
    assert out.returncode == 0, out.stderr
    archive = Path(out.stdout.strip().splitlines()[-1])
    target = tmp_path / "b.sqlite3"
    out = _manage(
        "restore",
        str(archive),
        DATABASE_URL=f"sqlite:///{target}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "restored"),
        **common,
    )
    assert out.returncode == 0, out.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT text FROM note").fetchall() == [("述职评议",)]
    db.close()
    assert (tmp_path / "restored" / "f.pdf").read_bytes() == b"%PDF-"


# transaction=True: SQLite cannot copy a database from inside the test's open transaction.
@pytest.mark.django_db(transaction=True)
def test_sealing_keys_are_never_in_an_archive(media, tmp_path):
    archive = backup_create(target_dir=tmp_path / "backups")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        content = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert "private/reports/r1.pdf" in names
    assert not any("keys" in n or n.endswith(".key") for n in names)
    assert b"SECRET-KEY-MATERIAL" not in content


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(media, tmp_path):
    archive = backup_create(target_dir=tmp_path / "backups")
    with pytest.raises(ApplicationError, match="不是空的"):
        backup_restore(archive=archive)


def test_only_the_newest_archives_are_kept(tmp_path):
    for i in range(5):
        path = tmp_path / f"shuzhi-backup-2026010{i}-020000.tar.gz"
        path.write_bytes(b"x")
        os.utime(path, (time.time() - 1000 + i, time.time() - 1000 + i))
    (tmp_path / "unrelated.tar.gz").write_bytes(b"x")
    deleted = backups_prune(target_dir=tmp_path, keep=2)
    assert [p.name for p in deleted] == [
        f"shuzhi-backup-2026010{i}-020000.tar.gz" for i in range(3)
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "shuzhi-backup-20260103-020000.tar.gz",
        "shuzhi-backup-20260104-020000.tar.gz",
        "unrelated.tar.gz",
    ]
    assert backups_prune(target_dir=tmp_path, keep=0) == []
