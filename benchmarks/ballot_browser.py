"""A member's phone encrypting and proving a sheet (issue #22), in Chromium with its CPU
slowed 4x (DevTools' CPU throttling, as a mid-range phone), next to the same page
unthrottled in the same browser.

Run: .venv/bin/python benchmarks/ballot_browser.py [--subjects 20] [--options 4] [--repeats 7]
Serves static/ from a local thread (the page imports static/js/ballot_crypto.js and the
vendored @noble/curves exactly as the voting page does), then in Debian's Chromium:
loads the joint key and encrypts + proves one sheet `--repeats` times at rates 1 and 4.
Prints the medians, their ratio and the machine's load. Goal: at most 2 s at rate 4.
"""

import argparse
import functools
import http.server
import os
import shutil
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ballots.elgamal.group import base_mul, random_scalar  # noqa: E402

PAGE = b"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>bench</title></html>"

# Runs in the page: what static/js/ballot_cast.js does at 确认投票, timed per sheet.
MEASURE = """async ({ jointKey, layout, repeats }) => {
  const bc = await import("/js/ballot_crypto.js");
  const t0 = performance.now();
  const h = bc.jointKeyLoad(jointKey);
  const load = performance.now() - t0;
  const times = [];
  let bytes = 0;
  for (let r = 0; r < repeats; r++) {
    const choices = layout.map((n) => Math.floor(Math.random() * n));
    const t = performance.now();
    const sheet = bc.sheetEncrypt({ jointKey: h, ballotId: "ballot:bench:1", layout, choices });
    bytes = bc.canonicalJson(sheet).length;
    times.push(performance.now() - t);
  }
  return { load, times, bytes };
}"""


class Static(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".js": "text/javascript", ".mjs": "text/javascript", "": "text/plain"}

    def do_GET(self):
        if self.path == "/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=20)
    parser.add_argument("--options", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    layout = [args.options] * args.subjects
    joint_key = base_mul(random_scalar()).hex()

    handler = functools.partial(Static, directory=str(ROOT / "static"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is not installed (make setup installs it)")
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for rate in (1, 4):
            page = browser.new_page()
            page.goto(url)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            results[rate] = page.evaluate(
                MEASURE, {"jointKey": joint_key, "layout": layout, "repeats": args.repeats}
            )
            page.close()
        version = browser.version
        browser.close()
    server.shutdown()

    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; Chromium {version}; "
        f"sheet {args.subjects} subjects x {args.options} options "
        f"({results[1]['bytes']} bytes of JSON); median of {args.repeats}"
    )
    medians = {rate: statistics.median(r["times"]) for rate, r in results.items()}
    for rate, r in results.items():
        print(
            f"  CPU x{rate}: load the joint key {r['load']:7.1f} ms, "
            f"encrypt + prove one sheet {medians[rate]:7.1f} ms "
            f"(min {min(r['times']):.1f}, max {max(r['times']):.1f})"
        )
    print(
        f"  throttled / unthrottled: {medians[4] / medians[1]:.2f}x; "
        f"goal at x4: at most 2000 ms -> {'met' if medians[4] <= 2000 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
