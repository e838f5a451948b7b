"""What the servers in deploy/ say about themselves: gunicorn with deploy/gunicorn.conf.py
names no server software, and the nginx site passes `nginx -t`, names no version and
caches hashed static files for a year, unhashed ones for an hour (when nginx is
installed; `apt-get install nginx`)."""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        assert process.poll() is None, process.communicate()
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def test_gunicorn_names_no_server_software():
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    args = ["--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(
        [gunicorn, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_for(port, process)
        response = urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=10)
        assert response.status == 204
        assert "gunicorn" not in response.headers.get("Server", "").lower()
        assert "Content-Security-Policy" in response.headers
    finally:
        process.terminate()
        process.wait(timeout=10)


def _site(tmp: Path, http_port: int, https_port: int) -> Path:
    """deploy/nginx-shuzhi.conf with a throwaway certificate, logs, static root and ports,
    inside a minimal nginx.conf that runs as the current user."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=shuzhi.example.gov.cn", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (ROOT / "deploy" / "nginx-shuzhi.conf").read_text()
    for old, new in (
        ("/etc/ssl/shuzhi/fullchain.pem", f"{tmp}/cert.pem"),
        ("/etc/ssl/shuzhi/privkey.pem", f"{tmp}/key.pem"),
        ("/var/log/nginx/", f"{tmp}/"),
        ("/srv/shuzhi/static/", f"{tmp}/static/"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
    ):
        assert old in site, old
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )  # fmt: skip
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"daemon off; master_process off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; {temp}\n"
        f"  include {tmp}/site.conf; }}\n"
    )
    return conf


@needs_nginx
def test_the_nginx_site_passes_nginx_t(tmp_path):
    conf = _site(tmp_path, _free_port(), _free_port())
    out = subprocess.run([NGINX, "-t", "-p", tmp_path, "-c", conf], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "test is successful" in out.stderr


@needs_nginx
def test_nginx_caches_hashed_static_files_for_a_year_and_names_no_version(tmp_path):
    https_port = _free_port()
    conf = _site(tmp_path, _free_port(), https_port)
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "site.css").write_text("body {}")
    (tmp_path / "static" / "css" / "site.0123456789ab.css").write_text("body {}")
    process = subprocess.Popen(
        [NGINX, "-p", tmp_path, "-c", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    try:
        _wait_for(https_port, process)

        def get(path):
            request = urllib.request.Request(
                f"https://127.0.0.1:{https_port}{path}",
                headers={"Host": "shuzhi.example.gov.cn"},
            )
            return urllib.request.urlopen(request, context=insecure, timeout=10)

        hashed = get("/static/css/site.0123456789ab.css")
        assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert hashed.headers["X-Content-Type-Options"] == "nosniff"
        assert hashed.headers["Server"] == "nginx"  # no version
        plain = get("/static/css/site.css")
        assert plain.headers["Cache-Control"] == "public, max-age=3600"
        assert plain.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        process.terminate()
        process.wait(timeout=10)
