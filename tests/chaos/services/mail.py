"""The SMTP sink: records every message each recipient received, and can be stopped."""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Mail:
    """One message as one recipient received it."""

    recipient: str
    subject: str
    text: str  # the plain-text parts, without attachments
    at: float  # time.monotonic() on arrival
    message_id: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        """The same email twice has the same identity (its headers' dates and ids aside)."""
        return (self.recipient, self.subject, hashlib.sha256(self.text.encode()).hexdigest())


class SmtpSink:
    """An SMTP server (aiosmtpd) on 127.0.0.1 that accepts everything and records each message
    per recipient; stopped, its port refuses connections as a dead mail server's would."""

    def __init__(self, port: int):
        self.port = port
        self.controller: Controller | None = None
        self._mails: list[Mail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = "\n".join(
            part.get_content()
            for part in message.walk()
            if part.get_content_type() == "text/plain" and not part.is_attachment()
        )
        now = time.monotonic()
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self._mails.append(
                    Mail(
                        recipient.lower(),
                        str(message["Subject"] or ""),
                        text,
                        now,
                        str(message["Message-ID"] or ""),
                    )
                )
        return "250 Message accepted for delivery"

    def start(self) -> None:
        # aiosmtpd narrates every session at INFO, which the portal's logging would print.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        if self.controller is None:
            self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def running(self) -> bool:
        return self.controller is not None

    def received(self) -> list[Mail]:
        """Every message as it came over SMTP, copies included."""
        with self._lock:
            return list(self._mails)

    def mails(self) -> list[Mail]:
        """The messages as the recipients' mailboxes hold them: a message sent again with the
        same Message-ID (the portal's idempotency key for an email) is the same message, as mail
        stores treat it; `received` keeps every copy, and the table counts them as resent."""
        seen, kept = set(), []
        for mail in self.received():
            key = (mail.recipient, mail.message_id) if mail.message_id else None
            if key is not None and key in seen:
                continue
            if key is not None:
                seen.add(key)
            kept.append(mail)
        return kept
