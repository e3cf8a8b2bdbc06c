"""The production topology as an applicant and an operator meet it (issue 14): `scripts/production`
(what `make production` runs) on free ports in a folder of its own; Chromium through nginx over
HTTPS signs in, uploads a document, submits and downloads the receipt while one web instance and
one worker are killed with kill -9; then nothing is lost, the periodic jobs ran exactly once each
(tests/production/periodic.py says what that means), the PostgreSQL restore of docs/deploy.md
gives the same application back, and `scripts/production stop` leaves no process behind.
"""

from __future__ import annotations

import datetime
import hashlib
import http.client
import io
import re
import shutil
import ssl
from pathlib import Path

import boto3
import pytest
import redis
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

from tests.applications.conftest import pdf_bytes
from tests.browser.conftest import CHROMIUM, CSP_VIOLATIONS, axe_violations
from tests.browser.conftest import watch_content_security_policy as watch_csp
from tests.chaos.services import ROOT, SmtpSink, free_port
from tests.production.periodic import exactly_once_problems, ledger_read, unacknowledged_ids
from tests.production.topology import Production, wait_until

pytestmark = pytest.mark.production

SWEEP_SECONDS = 2
DASHBOARD_SECONDS = 5
DEPLOY_DOC = ROOT / "docs" / "deploy.md"


@pytest.fixture
def sink():
    sink = SmtpSink(free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def production(sink, request):
    topology = Production(
        {
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "OUTBOX_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "DASHBOARD_REFRESH_SECONDS": str(DASHBOARD_SECONDS),
            # beat names each message's id (tests/production/periodic.py counts them).
            "BEAT_LOG_LEVEL": "DEBUG",
            # A dead worker's email lease is taken over within seconds, not the default 20.
            "OUTBOX_LEASE_SECONDS": "5",
            "OUTBOX_BACKOFF_BASE": "1",
            "OUTBOX_BACKOFF_MAX": "2",
        }
    )
    try:
        topology.start()
        yield topology
    finally:
        stopped = topology.stop()
        left = topology.processes()
        assert stopped.returncode == 0, stopped.stderr
        assert left == [], f"processes left after scripts/production stop: {left}"
        report = getattr(request.node, "report_call", None)
        if report is not None and report.passed:
            shutil.rmtree(topology.folder, ignore_errors=True)
        else:  # kept: log/portal.log and log/services.log say what each process did
            print(f"\nThe topology's folder is kept for a look: {topology.folder}")


def proxy_answers_as_configured(production) -> None:
    """Plain HTTP redirects to HTTPS; HTTPS carries HSTS once and a request id; /metrics stays
    inside (404 through nginx)."""
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    plain = http.client.HTTPConnection("localhost", production.ports["HTTP_PORT"], timeout=10)
    plain.request("GET", "/calls/")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == f"{production.url}/calls/"
    for path, status in [("/calls/", 200), ("/metrics", 404)]:
        secure = http.client.HTTPSConnection(
            "localhost", production.ports["HTTPS_PORT"], context=insecure, timeout=10
        )
        secure.request("GET", path)
        response = secure.getresponse()
        assert response.status == status, path
        assert len(response.headers.get_all("Strict-Transport-Security")) == 1
        assert re.fullmatch(r"[0-9a-f]{32}", response.getheader("X-Request-ID"))
    # Each web instance answers its health and its metrics on its own port (loopback).
    for port in production.web_ports:
        for path, expected in [("/health/ready/", ""), ("/metrics", "jane_celery_queue_length")]:
            direct = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            direct.request("GET", path)
            response = direct.getresponse()
            assert response.status == 200, (port, path)
            assert expected in response.read().decode(), (port, path)


def check_page(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def reset_email(sink, address: str):
    return next(
        (m for m in sink.mails() if m.recipient == address and "assword" in m.subject), None
    )


def refreshed_until(page, link) -> bool:
    """Whether `link` shows within two seconds; if not, the page is refreshed for the next try."""
    try:
        link.wait_for(timeout=2_000)
        return True
    except PlaywrightTimeout:
        page.get_by_role("link", name="Refresh this page").click()
        return False


def bucket_of(production):
    """An S3 client on the topology's bucket, with the credentials of its env file."""
    shown = production.shell(
        'set -a; . "$PRODUCTION_DIR/production.env"; set +a; '
        'echo "$AWS_STORAGE_BUCKET_NAME"; echo "$AWS_S3_ENDPOINT_URL"; '
        'echo "$AWS_ACCESS_KEY_ID"; echo "$AWS_SECRET_ACCESS_KEY"'
    )
    bucket, endpoint, key, secret = shown.stdout.splitlines()
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret
    )
    return client, bucket


def bucket_contents(client, bucket: str) -> dict[str, str]:
    """Each object's name and the SHA-256 of its bytes."""
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: hashlib.sha256(
            client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        ).hexdigest()
        for item in listed
    }


def documents_stored(production) -> int:
    """How many documents the topology's bucket holds; none may be on the disk."""
    media = production.shell('set -a; . "$PRODUCTION_DIR/production.env"; echo "$MEDIA_ROOT"')
    on_disk = [path for path in Path(media.stdout.strip()).rglob("*") if path.is_file()]
    assert on_disk == [], f"documents on the disk although a bucket is set: {on_disk}"
    client, bucket = bucket_of(production)
    return len(bucket_contents(client, bucket))


def doc_block(marker: str) -> str:
    """The shell block of docs/deploy.md that follows `<!-- marker -->`: what an operator runs."""
    text = DEPLOY_DOC.read_text()
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.*?)```", text, re.S)
    assert match, f"docs/deploy.md has no block marked {marker}"
    return match.group(1)


def test_an_applicant_submits_through_nginx_while_a_web_instance_and_a_worker_die(
    production, sink, tmp_path
):
    proxy_answers_as_configured(production)
    applicant = production.manage_json("from tests.production import seed", "seed.main()")
    overview = f"/applications/{applicant['public_id']}/"
    document = tmp_path / "self-assessment.pdf"
    document.write_bytes(pdf_bytes())
    CSP_VIOLATIONS.clear()

    with sync_playwright() as playwright:
        assert Path(CHROMIUM).exists(), f"No Chromium at {CHROMIUM}: run `make test`"
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        # The certificate is the self-signed one scripts/production made on the first start.
        context = browser.new_context(
            base_url=production.url, ignore_https_errors=True, locale="en-GB", accept_downloads=True
        )
        watch_csp(context)
        page = context.new_page()
        page.set_default_timeout(30_000)

        # 0. The applicant forgot the password: the email names the portal and its public host.
        page.goto("/accounts/password/reset/")
        check_page(page)
        page.get_by_label("Email").fill(applicant["email"])
        page.get_by_role("button", name="Reset My Password").click()
        wait_until(lambda: reset_email(sink, applicant["email"]), 60, "the password-reset email")
        reset = reset_email(sink, applicant["email"])
        assert reset.text.startswith("Hello from JANE Networks Portal!"), reset.text
        assert f"localhost:{production.ports['HTTPS_PORT']}" in reset.text
        assert "127.0.0.1" not in reset.text

        # 1. Sign in through nginx, over HTTPS.
        page.goto("/accounts/login/")
        assert page.url.startswith("https://")
        check_page(page)
        page.get_by_label("Email").fill(applicant["email"])
        page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(applicant["password"])
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/applications/$"))
        check_page(page)

        # 2. Upload the self-assessment (the draft lacks only that).
        page.goto(overview)
        page.get_by_role("link", name="Documents").click()
        check_page(page)
        page.get_by_label("File").set_input_files(document)
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_role("status").filter(has_text="uploaded.")).to_be_visible()

        # 3. A web instance dies; nginx sends the rest of the journey to the other.
        killed_web = production.kill("web1")
        page.goto(overview)
        expect(
            page.get_by_text("The application is complete and can be submitted.")
        ).to_be_visible()
        page.get_by_role("link", name="Review and submit").click()
        check_page(page)
        page.get_by_role("button", name="Submit the application").click()
        expect(
            page.get_by_role("status").filter(has_text="has been submitted (version 1)")
        ).to_be_visible()
        # 4. A worker dies while the submission's routing and receipt email are being done.
        killed_worker = production.kill("worker1")
        killed_at = datetime.datetime.now(datetime.UTC)
        check_page(page)
        # "Your receipt is being prepared ... Refresh this page": the applicant refreshes.
        receipt_link = page.get_by_role("link", name="Download the receipt of version 1 (PDF)")
        wait_until(lambda: refreshed_until(page, receipt_link), 90, "the receipt offered", 0)
        check_page(page)
        with page.expect_download() as download:
            receipt_link.click()
        receipt = download.value.path().read_bytes()
        context.close()
        browser.close()
    assert CSP_VIOLATIONS == [], CSP_VIOLATIONS
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt)).pages)
    assert applicant["institution"] in text

    # Both died and came back (the Procfile's wrapper starts a dead process again; honcho would
    # have ended everything), and no request through nginx was answered with a server error.
    assert production.restarted("web1", killed_web), production.log_tail()
    assert production.restarted("worker1", killed_worker), production.log_tail()
    assert production.log_lines_matching(r"production: web1 exited \(137\)")
    assert production.log_lines_matching(r"production: worker1 exited \(137\)")
    errors = production.log_lines_matching(r'proxy\.1 .*" 5\d\d ')
    assert errors == [], errors

    # Nothing lost: one application, submitted once, every outbox item done, one receipt email.
    seen = {}

    def settled() -> bool:
        seen["state"] = state = production.manage_json(
            "from tests.production import state", f"state.main({applicant['public_id']!r})"
        )
        return state["outbox_kinds_not_done"] == [] and any(
            mail.recipient == applicant["email"] and "receipt" in mail.subject.lower()
            for mail in sink.mails()
        )

    wait_until(settled, 90, "every outbox item done and the receipt email arrived", step=2)
    state = seen["state"]
    assert state["applications_of_institution_and_call"] == 1
    assert state["submissions"] == 1
    assert state["status"] != "draft"
    assert state["outbox"].get("failed", 0) == 0
    receipts = [
        m
        for m in sink.mails()
        if m.recipient == applicant["email"] and "receipt" in m.subject.lower()
    ]
    assert len(receipts) == 1, [m.subject for m in sink.mails()]

    assert documents_stored(production) >= 3  # the chart, the endorsement, the self-assessment

    # The periodic jobs: one beat, no message executed twice, none lost but the killed ones.
    read_at = datetime.datetime.now(datetime.UTC)
    ledger = ledger_read(production.log.read_text())
    problems, counts = exactly_once_problems(
        ledger,
        intervals={"outbox-sweep": SWEEP_SECONDS, "dashboards-refresh": DASHBOARD_SECONDS},
        killed_worker="worker1",
        killed_at=killed_at,
        read_at=read_at,
        unacknowledged=unacknowledged_ids(
            redis.Redis(port=production.ports["REDIS_PORT"], db=1, socket_timeout=5)
        ),
    )
    print(f"periodic messages: {len(ledger.sent)} sent; {counts}")
    # beat kept its ticks through the kill: a sweep every SWEEP_SECONDS, done after it too.
    sweeps_after_kill = [s for s in ledger.sends_of("outbox-sweep") if s.at > killed_at]
    assert len(sweeps_after_kill) >= 2, counts
    assert any(ledger.finished.get(s.id) for s in sweeps_after_kill), counts
    assert problems == [], problems
    assert counts.get("lost with the killed worker", 0) <= 4  # 2 processes, 1 prefetched each

    # docs/deploy.md's backup and restore, as written there: the restored copy has it too.
    backup = production.shell(doc_block("backup"))
    assert backup.returncode == 0, backup.stderr
    restore = production.shell(doc_block("restore"))
    assert restore.returncode == 0, restore.stderr
    query = (
        "select count(*) from applications_application"
        f" where public_id = '{applicant['public_id']}' and status <> 'draft'"
    )
    restored = production.shell(
        'set -a; . "$PRODUCTION_DIR/production.env"; set +a; '
        f'psql -tA "${{DATABASE_URL%/*}}/jane_restored" -c "{query}"'
    )
    assert restored.stdout.strip() == "1", restored.stderr

    # The bucket's backup and restore, as written there: every object comes back byte for byte.
    client, bucket = bucket_of(production)
    before = bucket_contents(client, bucket)
    assert before, "the bucket holds no document to back up"
    backup = production.shell(doc_block("bucket-backup"))
    assert backup.returncode == 0, backup.stderr
    client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in before]})
    assert bucket_contents(client, bucket) == {}
    restore = production.shell(doc_block("bucket-restore"))
    assert restore.returncode == 0, restore.stderr
    assert bucket_contents(client, bucket) == before
