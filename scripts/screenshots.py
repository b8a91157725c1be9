"""Screenshots of the running demo for the README: the reader, the review queue, a claim page with a
contradiction and the dashboard, as PNGs 1400 px wide.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--var-dir DIR]

It migrates and loads the demo into a scratch ``CORROBORATE_VAR_DIR`` (SQLite, in-process checks),
serves it with ``runserver`` on a free port, logs in as eddie through the login form and drives
Debian's Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WIDTH = 1400
LOGIN = ("eddie", "eddie-demo-pass")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own local server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s")


PICK_PAGES = """
from claims.models import Claim, Source, SourceKind
claim = (
    Claim.objects.filter(merged_into__isnull=True, open_contradictions__gt=0, outlet_count__gt=0)
    .order_by("-open_contradictions", "-outlet_count", "id")
    .first()
)
appearances = Source.objects.filter(kind=SourceKind.APPEARANCE, claim=claim)
article = appearances.values_list("article_id", flat=True).first()
# Something for the notifications page: the editor is assigned the claim and mentioned about it.
from django.contrib.auth.models import User
from claims.services.assignments import claims_assign
from claims.services.comments import claim_comment_create
eddie, annie, ada = (User.objects.get(username=name) for name in ("eddie", "annie", "ada"))
claims_assign(claim_ids=[claim.pk], assignee=eddie, actor=ada)
claim_comment_create(claim_id=claim.pk, author=annie, body="@eddie the second outlet gives another figure.")
from articles.models import Article
arrival = Article.objects.get(url__contains="velsundevening.example")
print(claim.pk, article, arrival.pk)
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--var-dir", type=Path, default=None, help="scratch directory (default: a new temp dir)"
    )
    options = parser.parse_args()
    var_dir = options.var_dir or Path(tempfile.mkdtemp(prefix="corroborate-shots-"))
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CELERY_BROKER_URL"}
    }
    env.update({"CORROBORATE_VAR_DIR": str(var_dir), "DJANGO_DEBUG": "1", "LOG_LEVEL": "WARNING"})
    print(f"demo in {var_dir}: migrating and loading…")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--quiet")
    claim_id, article_id, arrival_id = (
        int(part) for part in manage(env, "shell", "-c", PICK_PAGES).split()[-3:]
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (our own manage.py with fixed arguments)
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"{base}/healthz")
        shoot(base, options.out, claim_id=claim_id, article_id=article_id, arrival_id=arrival_id)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if options.var_dir is None:
            shutil.rmtree(var_dir, ignore_errors=True)


def shoot(base: str, out: Path, *, claim_id: int, article_id: int, arrival_id: int) -> None:
    sys.path.insert(0, str(ROOT))
    from scripts.chromium import chromium

    out.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        context = browser.new_context(
            base_url=base, viewport={"width": WIDTH, "height": 1000}, reduced_motion="reduce"
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto("/accounts/login/")
        page.fill("#id_username", LOGIN[0])
        page.fill("#id_password", LOGIN[1])
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/articles/")
        shots = [
            (
                "reader.png",
                f"/articles/{article_id}/?claim={claim_id}#claim-{claim_id}",
                "body[data-reader-ready]",
                False,
            ),
            # An article that arrived after the verdicts: repeats of reviewed claims, worth-checking marks.
            ("reader-triage.png", f"/articles/{arrival_id}/", "body[data-reader-ready]", False),
            ("review-queue.png", "/review/", "body[data-queue-ready]", False),
            ("claim-contradiction.png", f"/claims/{claim_id}/", "body[data-claim-ready]", True),
            ("dashboard.png", "/dashboard/", "body[data-dashboard-ready]", True),
            ("notifications.png", "/notifications/", "#preferences", False),
        ]
        for name, url, ready, full_page in shots:
            page.goto(url)
            page.wait_for_selector(ready, state="attached")
            if name == "review-queue.png":
                # Show the keyboard focus the way an editor working through the queue sees it.
                page.locator(".q-row").nth(1).locator(".q-select").check()
                page.locator(".q-row").nth(2).locator(".q-select").check()
                page.keyboard.press("k")
            if name == "reader.png":
                # The claim selected in the panel, its highlight outlined in the text, seen from the top.
                page.set_viewport_size({"width": WIDTH, "height": 1250})
                button = page.locator(f'.claim-item[data-claim="{claim_id}"] .claim-button')
                if button.count():
                    button.first.click()
                page.evaluate("window.scrollTo(0, 0)")
            else:
                page.set_viewport_size({"width": WIDTH, "height": 1000})
            page.mouse.move(0, 0)
            page.screenshot(path=str(out / name), full_page=full_page)
            print(f"wrote {out / name}")
        # The queue on a phone (390 px): the header wrapped, the filters folded into their drawer.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto("/review/")
        page.wait_for_selector("body[data-queue-ready]", state="attached")
        page.mouse.move(0, 0)
        page.screenshot(path=str(out / "queue-phone.png"))
        print(f"wrote {out / 'queue-phone.png'}")


if __name__ == "__main__":
    main()
