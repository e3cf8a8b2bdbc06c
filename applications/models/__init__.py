"""Applications to calls: the application, what it contains, and its history."""

from applications.models.application import Application
from applications.models.content import Answer, ApplicationDocument, Declaration, Endorsement
from applications.models.history import StatusChange, Submission
from applications.models.requests import InformationRequest

__all__ = [
    "Answer",
    "Application",
    "ApplicationDocument",
    "Declaration",
    "Endorsement",
    "InformationRequest",
    "StatusChange",
    "Submission",
]
