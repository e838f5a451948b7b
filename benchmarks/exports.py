"""The streamed Excel writer against an in-memory openpyxl workbook of the same rows.

Run: .venv/bin/python benchmarks/exports.py [rows]   (uses DATABASE_URL if set)

Builds a questionnaire with `rows` free-text comments (default 10 000), then measures:
- the real export path: GET /surveys/<pk>/results.xlsx through the test client, the body
  read to the end (core.xlsx_writer: write-only sheets, rows from a chunked query, the
  file spooled to a temporary file and streamed);
- a baseline: the same rows read into a list and written into a normal openpyxl Workbook
  saved to memory (what the exports did before).
Each is measured in a fresh process of its own (the data setup leaves freed memory behind
that would hide any growth): the best time of 3 runs, the peak growth of the process's
resident memory in the first run (Linux: peak RSS, reset through /proc/self/clear_refs),
and the peak growth of Python allocations (tracemalloc) in a last run. Prints both and
their ratios. Target: the writer's peak growth under 5 MB for 10 000 rows.
"""

import gc
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MB = 1024 * 1024
TARGET = 5 * MB


def _status(field: str) -> int | None:
    """A memory figure of /proc/self/status in bytes, or None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _measure(fn) -> dict:
    times, rss = [], None
    for _ in range(3):
        gc.collect()
        can_reset = _reset_peak_rss()
        start_rss = _status("VmRSS")
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if rss is None and can_reset and start_rss is not None:
            rss = _status("VmHWM") - start_rss
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"time": min(times), "traced": peak - before, "rss": rss}


def child(path: str, database: str, pk: int, warm_pk: int, office_pk: int) -> None:
    """Measure one path against the parent's test database; print the figures as JSON."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from openpyxl import Workbook

    from surveys.models import Questionnaire
    from surveys.selectors import questionnaire_tallies, text_answers_visible_to

    setup_test_environment()
    connection.settings_dict["NAME"] = database
    office = get_user_model().objects.get(pk=office_pk)
    client = Client()
    client.force_login(office)

    def writer(pk: int = pk) -> None:
        # The body goes to disk, as it would go to the socket: only the server is measured.
        with tempfile.TemporaryFile() as received:
            response = client.get(f"/questionnaires/{pk}/results.xlsx")
            assert response.status_code == 200, response.status_code
            for chunk in response.streaming_content:
                received.write(chunk)

    def baseline(pk: int = pk) -> None:
        questionnaire = Questionnaire.objects.get(pk=pk)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "满意度统计"
        sheet.append([questionnaire.title])
        for i, t in enumerate(questionnaire_tallies(questionnaire), start=1):
            sheet.append([i, t.subject.person_name, *[c for _, c, _ in t.counts], t.total])
        texts = workbook.create_sheet("意见建议")
        texts.append(["题目", "意见建议"])
        answers = text_answers_visible_to(office, questionnaire)
        for row in list(answers.values_list("question__text", "text")):
            texts.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.getvalue()

    fn = writer if path == "writer" else baseline
    fn(warm_pk)  # imports, URL resolution, the session: not part of the figures
    print(json.dumps(_measure(fn)))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    setup_test_environment()
    if connection.vendor == "sqlite":  # a file, so that the measuring processes share it
        scratch = tempfile.mkdtemp(prefix="bench-exports-")
        connection.settings_dict["TEST"]["NAME"] = os.path.join(scratch, "test.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from core.roles import Role
        from tests.factories import UserFactory, questionnaire_with_comments

        office = UserFactory(role=Role.OFFICE, is_staff=True)
        questionnaire = questionnaire_with_comments(office=office, comments=n)
        warm_up = questionnaire_with_comments(office=office, comments=10)
        database = connection.settings_dict["NAME"]
        connection.close()
        figures = {}
        for path in ("writer", "baseline"):
            args = [path, database, questionnaire.pk, warm_up.pk, office.pk]
            out = subprocess.run(
                [sys.executable, __file__, "--child", *map(str, args)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures[path] = json.loads(out.strip().splitlines()[-1])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def mb(value) -> str:
        return "    n/a" if value is None else f"{value / MB:7.2f}"

    def ratio(a, b) -> str:
        return "    n/a" if a is None or b is None or b <= 0 else f"{a / b:7.3f}"

    streamed, in_memory = figures["writer"], figures["baseline"]
    print(f"Excel export of {n} rows (questionnaire comments), database {connection.vendor}")
    print("                                  time s   peak RSS growth MB   peak traced MB")
    for name, m in (("streamed writer (real view)", streamed), ("in-memory workbook", in_memory)):
        print(f"  {name:<30} {m['time']:7.2f}   {mb(m['rss'])}              {mb(m['traced'])}")
    print(
        f"  {'ratio writer / in-memory':<30} {ratio(streamed['time'], in_memory['time'])}"
        f"   {ratio(streamed['rss'], in_memory['rss'])}"
        f"              {ratio(streamed['traced'], in_memory['traced'])}"
    )
    worst = max(streamed["traced"], streamed["rss"] or 0)
    verdict = "met" if worst < TARGET else "NOT MET"
    print(f"  target: the writer's peak growth under 5 MB for {n} rows: {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        path, database, *ids = sys.argv[2:]
        child(path, database, *map(int, ids))
    else:
        main()
