"""What a fault run is measured with: the profiles (how many items, how long each outage and
each wait) and the rows of the table it prints. Free of Django, so the command line can read it
before the stack is up."""

from __future__ import annotations

from dataclasses import dataclass, field

REVIEWER_CAPACITY = 10  # each reviewer's room in each call
REVIEWS_PER_APPLICATION = 2  # in fault 4's call


@dataclass(frozen=True)
class Profile:
    name: str
    applicants: int  # per submission fault
    routed: int  # submissions in fault 4
    letters: int  # released while SMTP is down (fault 5)
    smtp_down_seconds: float
    duplicated_letters: int  # letters among fault 6's copies
    recover_seconds: float  # how long delivery may take once a fault ends
    routing_recover_seconds: float  # fault 4, where today's sweep needs two to three minutes
    quiet_seconds: float  # no new email for this long: no copy is still on its way
    fault_seconds: float  # a fault's overall limit, its own outage included

    @property
    def reviewers(self) -> int:
        """Twice the room fault 4's call needs, so routing is never short of reviewers."""
        return 2 * self.routed * REVIEWS_PER_APPLICATION // REVIEWER_CAPACITY + 1


PROFILES = {
    # SMTP stays down 120 s: today's eight retries with full jitter span 0 to 255 s, so each
    # letter exhausts them with a chance of about 0.44, and 20 letters all surviving has a
    # chance of about 1e-5; the full profile stays down past the 255 s that exhaust them all.
    "fast": Profile(
        name="fast",
        applicants=8,
        routed=30,
        letters=20,
        smtp_down_seconds=120,
        duplicated_letters=4,
        recover_seconds=20,
        routing_recover_seconds=45,
        quiet_seconds=2,
        fault_seconds=240,
    ),
    "full": Profile(
        name="full",
        applicants=20,
        routed=100,
        letters=20,
        smtp_down_seconds=270,
        duplicated_letters=10,
        recover_seconds=90,
        routing_recover_seconds=240,
        quiet_seconds=5,
        fault_seconds=720,
    ),
}


@dataclass
class Row:
    fault: str
    items: int = 0
    lost: int = 0
    duplicated: int = 0
    misreported: int = 0
    refused: int = 0
    resent: int = 0  # copies of an email that came again with the same Message-ID
    recovered_in: float | None = None
    seconds: float = 0.0  # the fault's own wall time
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and not (self.lost or self.duplicated or self.misreported)

    def as_dict(self) -> dict:
        return {
            "fault": self.fault,
            "items": self.items,
            "lost": self.lost,
            "duplicated": self.duplicated,
            "misreported": self.misreported,
            "refused": self.refused,
            "resent": self.resent,
            "recovered_in": self.recovered_in,
            "seconds": round(self.seconds, 1),
            "passed": self.passed,
            "notes": self.notes,
            "error": self.error,
        }


def table(rows) -> str:
    headers = [
        "fault",
        "items",
        "lost",
        "duplicated",
        "misreported",
        "refused",
        "resent, same Message-ID",
        "seconds to recover",
        "result",
    ]
    lines = []
    for row in rows:
        if row.error or row.recovered_in is None or row.lost:
            recovered = "—"
        else:
            recovered = f"{row.recovered_in:.1f}"
        lines.append(
            [
                row.fault,
                str(row.items),
                str(row.lost),
                str(row.duplicated),
                str(row.misreported),
                str(row.refused),
                str(row.resent),
                recovered,
                "pass" if row.passed else ("ERROR" if row.error else "FAIL"),
            ]
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]

    def format_line(cells):
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return " | ".join([first, *rest])

    out = [format_line(headers), "-+-".join("-" * width for width in widths)]
    out += [format_line(line) for line in lines]
    out.append("")
    for row in rows:
        out.append(f"{row.fault} ({row.seconds:.0f} s):")
        if row.error:
            out.append(f"    error: {row.error}")
        out += [f"    {note}" for note in row.notes]
    return "\n".join(out)
