"""Everything that writes meetings, inquiries and ballots."""

from .ballots import (
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_discard_practice,
    ballot_keys_purge,
    ballot_new_round,
    ballot_open,
    ballot_publish,
    ballot_remind,
    ballot_rule_check,
    ballot_verify,
    default_quorum,
    paper_enter,
)
from .meetings import inquiry_answer, inquiry_submit

__all__ = [
    "ballot_cast",
    "ballot_close",
    "ballot_create",
    "ballot_discard_practice",
    "ballot_keys_purge",
    "ballot_new_round",
    "ballot_open",
    "ballot_publish",
    "ballot_remind",
    "ballot_rule_check",
    "ballot_verify",
    "default_quorum",
    "inquiry_answer",
    "inquiry_submit",
    "paper_enter",
]
