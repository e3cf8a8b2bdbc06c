"""Decision letters and redress (letters.py); the network's opinions, the per-call decision rules
and the proposals the decision board approves or sends back (board.py)."""

from decisions.models.board import CallDecisionRules, Opinion, Proposal
from decisions.models.letters import PLACEHOLDER_HELP, Letter, LetterTemplate, RedressRequest

__all__ = [
    "PLACEHOLDER_HELP",
    "CallDecisionRules",
    "Letter",
    "LetterTemplate",
    "Opinion",
    "Proposal",
    "RedressRequest",
]
