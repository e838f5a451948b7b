"""The `.env` file beside manage.py, read before Django picks its settings module.

A server's `.env` says DJANGO_SETTINGS_MODULE=config.settings.production; reading it here
means `manage.py`, Celery and gunicorn all obey it without anyone exporting it first.
Variables already in the environment win over the file.
"""

from pathlib import Path

import environ

DOTENV = Path(__file__).resolve().parent.parent / ".env"


def read_dotenv() -> None:
    if DOTENV.exists():
        environ.Env.read_env(DOTENV, overwrite=False)
