"""The receipt of each submitted version: made once, off the request, then emailed.

Submitting writes an outbox item (`applications.receipt`) in the submission's transaction; a
worker performs it after the commit: it draws the PDF (about a tenth of a second of CPU, which
a request on deadline day cannot spare), keeps it as the version's `Receipt`, and only then
queues the receipt email, whose attachment is those same bytes. One receipt per version: the
item's key and the one-to-one row make a retried or duplicated job harmless.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from applications.models import Receipt, Submission
from applications.receipts import receipt_pdf
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.registry import Effect, effect_register
from outbox.services import outbox_enqueue

RECEIPT_EFFECT = "applications.receipt"


def _key(submission_id: int) -> str:
    return f"{RECEIPT_EFFECT}:{submission_id}"


def receipt_queue(*, submission: Submission, language: str | None = None) -> None:
    """Ask for the version's receipt, in the caller's transaction (the one that kept it)."""
    outbox_enqueue(
        kind=RECEIPT_EFFECT,
        key=_key(submission.pk),
        payload={
            "submission_id": submission.pk,
            "language": language or translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


@transaction.atomic
def receipt_make(*, submission_id: int, language: str, email: bool = True) -> Receipt | None:
    """Draw and keep the version's receipt, then email it; idempotent, None if it is gone.

    The submission's row is locked first, so two jobs for one version make one receipt and
    one email. `email=False` only keeps it (a version submitted before receipts were kept,
    whose email went long ago).
    """
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related(
            "application__call__network",
            "application__institution",
            "submitted_by",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return None
    existing = Receipt.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    with translation.override(language):
        pdf = receipt_pdf(submission)
    receipt = Receipt.objects.create(
        submission=submission, pdf=pdf, made_at=timezone.now(), language=language
    )
    if email:
        notification_queue(
            kind=NotificationKind.SUBMISSION_RECEIPT, object_id=submission.pk, language=language
        )
    return receipt


def receipt_pending(*, submissions: list[Submission]) -> set[int]:
    """The ids of those versions whose receipt is still being made (its job is waiting)."""
    keys = {_key(submission.pk): submission.pk for submission in submissions}
    if not keys:
        return set()
    waiting = OutboxItem.objects.filter(key__in=keys, status=OutboxStatus.PENDING)
    return {keys[key] for key in waiting.values_list("key", flat=True)}


def receipt_bytes(*, submission: Submission) -> bytes:
    """The version's receipt as kept; one made now (and kept) if its job has not run yet."""
    receipt = Receipt.objects.filter(submission=submission).only("pdf").first()
    if receipt is None:
        # Its job, if still waiting, will find it made: the email is then queued from here.
        receipt = receipt_make(
            submission_id=submission.pk,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            email=bool(receipt_pending(submissions=[submission])),
        )
    return bytes(receipt.pdf)


effect_register(
    RECEIPT_EFFECT,
    Effect(perform=lambda payload: receipt_make(**payload)),
)
