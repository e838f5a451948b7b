"""gunicorn for the web unit (deploy/shuzhi-web.service); flags on the command line win.

Sync workers: every page is short (PDFs render in the Celery worker), and a sync worker
holds one persistent database connection (DJANGO_CONN_MAX_AGE).
"""

wsgi_app = "config.wsgi:application"
# nginx connects here; never expose gunicorn itself.
bind = "127.0.0.1:8000"
# Two per core and one more; 3 fits a 1-core county server. `--workers N` overrides.
workers = 3
# A worker silent this long is restarted; nginx buffers uploads, so they arrive at once.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then so that a slow leak never grows.
max_requests = 1000
max_requests_jitter = 100
# No access log: Django writes one line per request (core/request_log.py) without the
# query string or client address; gunicorn's line would carry both.
accesslog = None
errorlog = "-"
# No control socket: it would live in the service user's home (read-only under systemd),
# and two instances on one machine would share it.
control_socket_disable = True

# No server name or version in responses: gunicorn writes "Server: gunicorn" from this
# module's constant when it builds each response (gunicorn 27). This file runs in the
# master before the workers fork, so they inherit the change. Behind nginx the header
# is nginx's own, without a version (server_tokens off in deploy/nginx-shuzhi.conf).
import gunicorn.http.wsgi  # noqa: E402

gunicorn.http.wsgi.SERVER = ""
