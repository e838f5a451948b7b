"""Settings for benchmarks run on gunicorn: the test settings, the benchmark's URLs, and a
database of the benchmark's own (BENCH_DB_NAME), shared by the setup and the workers."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

ROOT_URLCONF = "benchmarks.bench_urls"
_name = os.environ.get("BENCH_DB_NAME", "shuzhi_bench")
DATABASES["default"]["TEST"] = {"NAME": _name}
if os.environ.get("BENCH_SERVER"):
    DATABASES["default"]["NAME"] = _name
