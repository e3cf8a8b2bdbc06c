"""On the portal's real processes (conftest.stack): the outbox backlog in /metrics while SMTP
is down and after, and the request id in the worker's JSON lines."""

import json
import uuid

from tests.chaos.services import tail
from tests.observability.conftest import feedback_send, metric_value, wait_for


def test_metrics_show_the_outbox_backlog_rising_while_smtp_is_down_and_falling_after(stack):
    assert wait_for(lambda: metric_value(stack.metrics(), "jane_outbox_pending_items") == 0, 30)
    before = len(stack.sink.received())
    worker = stack.portal.workers[0]
    mark = worker.log_size()
    stack.sink.stop()
    try:
        for number in range(3):  # two recipients each: six emails
            feedback_send(stack, message=f"Message {number}: the captcha cannot be read.")

        def backlog_while_failing() -> bool:
            pending = metric_value(stack.metrics(), "jane_outbox_pending_items")
            return pending >= 6 and worker.log_contains("failed (attempt", mark)

        assert wait_for(backlog_while_failing, 30, step=0.5) is not None, tail(worker.log)
        # The worker keeps trying and failing; the backlog stays while SMTP is down.
        assert metric_value(stack.metrics(), "jane_outbox_pending_items") >= 6
    finally:
        stack.sink.start()
    drained = wait_for(
        lambda: metric_value(stack.metrics(), "jane_outbox_pending_items") == 0, 45, step=0.5
    )
    assert drained is not None, stack.metrics()
    assert len(stack.sink.received()) - before >= 6
    text = stack.metrics()
    assert metric_value(text, "jane_outbox_failed_items") == 0
    assert 'jane_celery_queue_length{queue="celery"}' in text
    # gunicorn's two workers' requests, added up from PROMETHEUS_MULTIPROC_DIR.
    assert (
        'jane_http_responses_total{method="POST",status="302",view="accessibility:statement"}'
        in text
    )


def test_the_request_id_follows_a_request_into_the_worker_s_json_lines(stack):
    worker = stack.portal.workers[0]
    mark = worker.log_size()
    request_id = f"obs-{uuid.uuid4().hex}"
    feedback_send(stack, request_id=request_id, message="The menu cannot be reached by keyboard.")
    assert wait_for(lambda: worker.log_contains(request_id, mark), 30) is not None, tail(worker.log)
    assert wait_for(lambda: worker.log_contains('"outbox: notifications.email', mark), 30)

    with open(worker.log, "rb") as log:
        log.seek(mark)
        lines = [line for line in log.read().decode().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    ours = [record for record in records if record.get("request_id") == request_id]
    assert any(record["event"].startswith("outbox: notifications.email") for record in ours), ours
    assert all({"timestamp", "level", "logger", "event"} <= record.keys() for record in records)
    # Performed for this request's outbox item, by the kicked task or the sweep.
    assert any("outbox_item" in record for record in ours)
    # The task queued on commit (the kick) carried the id in its headers: Celery's own line.
    assert any(record["logger"] == "celery.app.trace" for record in ours), ours
