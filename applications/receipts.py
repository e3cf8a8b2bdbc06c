"""The receipt of a submitted version, as a PDF drawn from the submission record alone."""

import datetime
import io
from functools import cache

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from applications.models import Submission
from networks.enums import MembershipTier

# DejaVu covers every European alphabet (Skłodowska, Ελλάδα, България); it comes from npm.
FONT_DIR = settings.BASE_DIR / "node_modules" / "dejavu-fonts-ttf" / "ttf"


@cache
def _fonts() -> tuple[str, str]:
    pdfmetrics.registerFont(TTFont("DejaVuSans", FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONT_DIR / "DejaVuSans-Bold.ttf"))
    return "DejaVuSans", "DejaVuSans-Bold"


def receipt_filename(submission: Submission) -> str:
    return f"receipt-{submission.application.public_id}-v{submission.number}.pdf"


def receipt_pdf(submission: Submission) -> bytes:
    """The receipt: who submitted what to which call, when, and the content's checksum."""
    regular, bold = _fonts()
    application = submission.application
    call = application.call
    content = submission.content
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(_("Receipt of submission"))
    pdf.setAuthor(_("JANE Networks Portal"))
    width, height = A4
    y = height - 25 * mm

    def line(text: str, *, font: str = regular, size: int = 10, gap: float = 6 * mm) -> None:
        nonlocal y
        pdf.setFont(font, size)
        for chunk in _wrap(str(text), font, size, width - 40 * mm):
            pdf.drawString(20 * mm, y, chunk)
            y -= gap
            if y < 20 * mm:
                pdf.showPage()
                y = height - 25 * mm
                pdf.setFont(font, size)

    submitted_local = timezone.localtime(submission.submitted_at, call.zone)
    submitted_utc = submission.submitted_at.astimezone(datetime.UTC)
    line(_("JANE Networks Portal"), font=bold, size=12)
    line(_("Receipt of submission"), font=bold, size=18, gap=10 * mm)
    rows = [
        (_("Call"), call.title),
        (_("Network"), call.network.name),
        (
            _("Institution"),
            f"{application.institution.name} ({application.institution.country.name})",
        ),
        (_("Membership tier asked for"), MembershipTier(application.tier_requested).label),
        (_("Application"), str(application.public_id)),
        (_("Version"), str(submission.number)),
        (
            _("Submitted"),
            f"{dateformat.format(submitted_local, 'j F Y, H:i:s T')} ({call.time_zone}) = "
            f"{submitted_utc:%Y-%m-%d %H:%M:%S} UTC",
        ),
        (_("Submitted by"), f"{submission.submitted_by} <{submission.submitted_by.email}>"),
        (_("Answers"), str(len(content.get("answers", {})))),
        (_("Documents"), str(len(content.get("documents", [])))),
    ]
    for label, value in rows:
        line(f"{label}: {value}")
    y -= 4 * mm
    line(_("SHA-256 checksum of the submitted content"), font=bold)
    line(submission.checksum, size=9)
    y -= 2 * mm
    line(_("Documents submitted"), font=bold)
    for document in content.get("documents", []):
        line(f"• {document['slot']}: {document['name']} ({document['size']} B)", size=9, gap=5 * mm)
        line(f"  SHA-256 {document['sha256']}", size=7, gap=5 * mm)
    y -= 4 * mm
    line(
        _(
            "The checksum is computed over the submitted content in canonical JSON form "
            "(sorted keys, no spaces, UTF-8). Keep this receipt: it proves what was submitted "
            "and when. The last version submitted before the deadline counts."
        ),
        size=8,
        gap=4.5 * mm,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: int, max_width: float) -> list[str]:
    words, lines, current = text.split(" "), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    return [*lines, current]
