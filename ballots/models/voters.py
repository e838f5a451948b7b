"""Who votes and what is kept of it: voter groups, voting codes, eligibility, THAT a member
voted, the sealed sheets, the tellers and every slot's first point ever accepted."""

import hashlib
import secrets
import uuid
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ballot import Ballot


class VoterGroup(models.Model):
    """Who votes and with what weight. The committee's own group votes on the web."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voter_groups")
    name = models.CharField(_("投票人类别"), max_length=40)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=1)
    is_committee = models.BooleanField(_("常委会组成人员"), default=False)
    # Voters without accounts (e.g. deputies) vote on the web with one-time voting codes
    # (VotingCode); set when the office first issues codes to the group.
    web_voting = models.BooleanField(_("网上投票（投票码）"), default=False)

    class Meta:
        ordering = ["ballot", "-is_committee", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "name"], name="voter_group_name_unique"),
            models.UniqueConstraint(
                fields=["ballot"],
                condition=models.Q(is_committee=True),
                name="voter_group_one_committee",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def votes_on_web(self) -> bool:
        return self.is_committee or self.web_voting

    def sheet_ballot_id(self, ballot: "Ballot") -> str:
        """The id hashed into this group's sheets: the committee's sheets carry the ballot's
        own id, any other group's the ballot's id with a hash of the group's name and
        weight, so that a sheet cannot be moved to another group, nor a group's weight
        changed, without its proofs failing (tools/verify_ballot.py recomputes it)."""
        return sheet_ballot_id(ballot.crypto_id, self.name, self.weight, self.is_committee)


def sheet_ballot_id(crypto_id: str, name: str, weight, is_committee: bool) -> str:
    if is_committee:
        return crypto_id
    label = f"{name}|{Fraction(str(weight))}".encode()
    return f"{crypto_id}-group-{hashlib.sha256(label).hexdigest()[:16]}"


VOTING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/l
VOTING_CODE_LENGTH = 12


def voting_code_new() -> str:
    """12 characters from an alphabet typed from paper without ambiguity: about 60 bits."""
    return "".join(secrets.choice(VOTING_CODE_ALPHABET) for _ in range(VOTING_CODE_LENGTH))


class VotingCode(models.Model):
    """A one-time voting code (投票码) of a voter group whose voters have no account.

    Only a keyed hash of the code is stored (ballots.services.codes.code_digest): the
    plain codes exist only on the printed slips, which carry no name and are handed out by
    drawing. `used` is THAT the code voted, written in its own transaction, never with the
    sheet (like Participation); no time, nothing of what was voted."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="voting_codes")
    voter_group = models.ForeignKey(
        VoterGroup, verbose_name=_("投票人类别"), on_delete=models.PROTECT, related_name="codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")


class Eligibility(models.Model):
    """Who may vote on the web in this ballot, fixed when it opens."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="eligible")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "user"], name="eligibility_once")]


class Participation(models.Model):
    """THAT a member voted. No time, nothing of what was voted."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="participation_once")
        ]


class SealedSheet(models.Model):
    """A cast sheet: a fixed-width Paillier ciphertext only, random id, no user, no time.

    Kept after close (without the key nobody can open it) so that members find their
    receipt among the counted sheets and anyone can recompute the product."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    # Whose weight the sheet counts in (its proofs name the group: VoterGroup.sheet_ballot_id).
    # Null on sheets cast before voter groups voted on the web: the committee's.
    voter_group = models.ForeignKey(
        VoterGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Paillier: the fixed-width ciphertext. ElGamal: the sheet's canonical JSON as the
    # browser posted it (ciphertexts and proofs; its length depends on the layout only).
    ciphertext = models.BinaryField()
    # ElGamal: the receipt (SHA-256 of the canonical sheet), unique per ballot.
    tracker = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "tracker"],
                condition=~models.Q(tracker=""),
                name="sheet_tracker_once",
            )
        ]


class Teller(models.Model):
    """A teller (监票人) of an ElGamal ballot: what their browser published, never a secret.

    `public` holds the commitments to their polynomial, the proof of knowledge and the
    ephemeral key for receiving shares (ballots.elgamal.tellers.TellerPublic); `shares`
    the shares they sent to the other tellers, each sealed to the recipient's ephemeral
    key ({recipient index: hex}); `partial` their partial decryption of the summed
    ciphertexts, with proofs, once checked."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tellers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("监票人"),
        on_delete=models.PROTECT,
        related_name="teller_roles",
    )
    index = models.PositiveSmallIntegerField(_("编号"))
    public = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    shares = models.JSONField(default=dict, blank=True)
    partial = models.JSONField(default=list, blank=True)
    decrypted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("监票人")
        verbose_name_plural = _("监票人")
        ordering = ["ballot", "index"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "index"], name="teller_index_once"),
            models.UniqueConstraint(fields=["ballot", "user"], name="teller_user_once"),
        ]

    def __str__(self) -> str:
        return f"监票人 {self.index}"


class SheetCiphertext(models.Model):
    """Every slot ciphertext's first point (g^r) ever accepted: a sheet reusing any piece
    of another (a copied subject replayed to learn its voter's choice from the counts)
    is refused. Random points only: no user, no time, no order."""

    a = models.CharField(primary_key=True, max_length=64)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+")
