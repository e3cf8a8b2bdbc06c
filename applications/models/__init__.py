"""Applications to calls: the application, what it contains, and its history."""

from applications.models.application import Application
from applications.models.content import Answer, ApplicationDocument, Declaration, Endorsement
from applications.models.extensions import DeadlineExtension
from applications.models.history import StatusChange, Submission
from applications.models.messages import ApplicantMessage
from applications.models.receipts import Receipt
from applications.models.requests import InformationRequest

__all__ = [
    "Answer",
    "ApplicantMessage",
    "Application",
    "ApplicationDocument",
    "DeadlineExtension",
    "Declaration",
    "Endorsement",
    "InformationRequest",
    "Receipt",
    "StatusChange",
    "Submission",
]
