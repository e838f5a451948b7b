"""The review meeting, inquiries and the secret satisfaction ballot.

Secrecy by construction (the README's threat model lists who learns what, and the test
that shows it):
- Participation records THAT a member voted: (ballot, user), unique, no time.
- A cast sheet is a SealedSheet: the member's browser encrypted every choice under the
  ballot's joint key (exponential ElGamal, ballots.elgamal) with proofs that it holds
  one choice per subject; a random id, its tracker, no user, no time. Its length is the
  same whatever was chosen. No key that opens it ever reaches the server: each teller
  (监票人) keeps a share in a passphrase-protected file, and k of them are needed.
- On close the sheets are added slot by slot and only the sums are decrypted, by k
  tellers' partial decryptions; no single sheet is ever decrypted.
- Ballots published before #22 (scheme "paillier") were encrypted by the server under a
  Paillier key that was destroyed at close; their sheets, proofs and results are kept
  and only read (ballots/crypto.py).
"""

from .ballot import (
    Ballot,
    BallotItem,
    BallotPurpose,
    BallotScheme,
    BallotStatus,
    election_id_new,
)
from .meetings import AgendaItem, Inquiry, ReviewMeeting
from .results import BallotResult, PaperCount, PaperEntry, PaperEntryNumber, PaperTally
from .voters import (
    VOTING_CODE_ALPHABET,
    VOTING_CODE_LENGTH,
    Eligibility,
    Participation,
    SealedSheet,
    SheetCiphertext,
    Teller,
    VoterGroup,
    VotingCode,
    sheet_ballot_id,
    voting_code_new,
)

__all__ = [
    "VOTING_CODE_ALPHABET",
    "VOTING_CODE_LENGTH",
    "AgendaItem",
    "Ballot",
    "BallotItem",
    "BallotPurpose",
    "BallotResult",
    "BallotScheme",
    "BallotStatus",
    "Eligibility",
    "Inquiry",
    "PaperCount",
    "PaperEntry",
    "PaperEntryNumber",
    "PaperTally",
    "Participation",
    "ReviewMeeting",
    "SealedSheet",
    "SheetCiphertext",
    "Teller",
    "VoterGroup",
    "VotingCode",
    "election_id_new",
    "sheet_ballot_id",
    "voting_code_new",
]
