"""How long `make run` takes to serve on a checkout that is already set up, against
`manage.py runserver` alone, measured alternately in the same conditions.

Each run starts the command, polls the login page until it answers 200, then stops the
process group. Prints each median and the ratio (goal: make run ≤ 2× runserver), with the
machine's load average.

    .venv/bin/python benchmarks/make_run.py [--runs 5] [--port 8790]
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _serve_time(command: list[str], port: int) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - start < 120:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=1
                ) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"{command} did not serve within 120 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()
    python = str(ROOT / ".venv" / "bin" / "python")
    make_run = ["make", "run", f"PORT={args.port}"]
    runserver = [python, "manage.py", "runserver", f"127.0.0.1:{args.port}"]
    _serve_time(make_run, args.port)  # set up (install, migrate, demo) if this is the first
    times: dict[str, list[float]] = {"make run": [], "runserver": []}
    for _ in range(args.runs):
        times["make run"].append(_serve_time(make_run, args.port))
        times["runserver"].append(_serve_time(runserver, args.port))
    load = os.getloadavg()[0]
    for name, values in times.items():
        print(
            f"{name:<10} median {statistics.median(values):.2f} s  ({', '.join(f'{v:.2f}' for v in values)})"
        )
    ratio = statistics.median(times["make run"]) / statistics.median(times["runserver"])
    print(
        f"make run / runserver: {ratio:.2f}×  (goal ≤ 2×; load average {load:.1f} on {os.cpu_count()} cores)"
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
