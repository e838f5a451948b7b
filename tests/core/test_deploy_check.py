"""`manage.py check --deploy` under production settings and the variables .env.example
documents gives no warning at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "config" / "settings"


def _documented() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def _check_deploy(variables: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the documented variables: none of the test run's own (DATABASE_URL, …) leak in.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_documented_production_variables_pass_check_deploy_without_warnings():
    variables = _documented()
    assert variables["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    variables["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    out = _check_deploy(variables)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout


def test_the_check_does_look_the_placeholder_secret_is_refused():
    out = _check_deploy(_documented())
    assert out.returncode != 0
    assert "security.W009" in out.stderr


def test_plain_http_switches_are_reported_by_the_check():
    variables = {**_documented(), "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    variables.update(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0")
    out = _check_deploy(variables)
    assert out.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in out.stderr


def test_every_variable_the_settings_read_is_documented():
    import re

    read = set()
    for path in SETTINGS.glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
    documented = set(_documented()) | set(
        re.findall(r"^# ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read - documented == set()


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    """Every referenced file exists (a vendored file pointing at a missing source map fails)."""
    variables = {**_documented(), "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    variables["STATIC_ROOT"] = str(tmp_path)
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **variables}
    out = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert '"css/site.css": "css/site.' in manifest
    assert list(tmp_path.glob("css/site.*.css.gz"))
