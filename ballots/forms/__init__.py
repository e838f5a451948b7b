"""The ballot's forms: the set-up (setup.py, its parts in fields.py) and the actions on a
ballot (actions.py)."""

from .actions import (
    BallotOpenForm,
    BallotPublishForm,
    BallotPublishPreviewForm,
    PaperForm,
    TellersForm,
    VotingCodesForm,
)
from .fields import (
    parse_bands,
    parse_groups,
    parse_points,
    preset_fields,
    rule_fields,
    split_labels,
)
from .setup import PAPER_MAX, BallotSetupForm

__all__ = [
    "PAPER_MAX",
    "BallotOpenForm",
    "BallotPublishForm",
    "BallotPublishPreviewForm",
    "BallotSetupForm",
    "PaperForm",
    "TellersForm",
    "VotingCodesForm",
    "parse_bands",
    "parse_groups",
    "parse_points",
    "preset_fields",
    "rule_fields",
    "split_labels",
]
