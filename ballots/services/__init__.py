"""Everything that writes meetings, inquiries and ballots."""

from .ballots import (
    ballot_close,
    ballot_discard_practice,
    ballot_new_round,
    ballot_open,
    ballot_open_stage_problem,
    ballot_open_voters,
    ballot_publish,
    ballot_publish_preview,
)
from .cast import ballot_cast
from .meetings import (
    AGENDA_ITEM_EDITABLE,
    MEETING_EDITABLE,
    agenda_item_create,
    agenda_item_delete,
    agenda_item_update,
    inquiry_answer,
    inquiry_submit,
    meeting_create,
    meeting_delete,
    meeting_update,
)
from .paper import ballot_remind, paper_enter
from .setup import ballot_create, ballot_rule_check, default_quorum
from .tellers import (
    ballot_decrypt,
    ballot_tellers_set,
    teller_publish,
    teller_shares_send,
    tellers_missing,
)
from .verify import ballot_check, ballot_keys_purge, ballot_verify

__all__ = [
    "AGENDA_ITEM_EDITABLE",
    "MEETING_EDITABLE",
    "agenda_item_create",
    "agenda_item_delete",
    "agenda_item_update",
    "ballot_cast",
    "ballot_check",
    "ballot_decrypt",
    "ballot_close",
    "ballot_create",
    "ballot_discard_practice",
    "ballot_keys_purge",
    "ballot_new_round",
    "ballot_open",
    "ballot_open_stage_problem",
    "ballot_open_voters",
    "ballot_publish",
    "ballot_publish_preview",
    "ballot_remind",
    "ballot_rule_check",
    "ballot_tellers_set",
    "ballot_verify",
    "default_quorum",
    "inquiry_answer",
    "inquiry_submit",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "paper_enter",
    "teller_publish",
    "teller_shares_send",
    "tellers_missing",
]
