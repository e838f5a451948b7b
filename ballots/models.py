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

import hashlib
import secrets
import uuid
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workflow import Move, Workflow
from reviews.models import Campaign

from .rules import BASES, RuleSpec, describe


class ReviewMeeting(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("评议活动"), on_delete=models.PROTECT, related_name="meetings"
    )
    name = models.CharField(
        _("会议名称"), max_length=120, help_text=_("例如：县十七届人大常委会第五次会议")
    )
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    attendees = models.ManyToManyField(
        "reviews.Member", verbose_name=_("出席人员"), blank=True, related_name="meetings_attended"
    )

    class Meta:
        verbose_name = _("评议会议")
        verbose_name_plural = _("评议会议")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """The order in which on-site subjects report at the meeting."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="agenda")
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("评议对象"), on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("述职顺序"))

    class Meta:
        verbose_name = _("述职顺序")
        verbose_name_plural = _("述职顺序")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "subject"], name="agenda_subject_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.subject.person_name}"


class Inquiry(models.Model):
    """A member's question (询问) to an on-site subject, and the answer the office records."""

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="inquiries"
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("询问人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("询问内容"))
    asked_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    answer = models.TextField(_("回答要点"), blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("询问")
        verbose_name_plural = _("询问")
        ordering = ["meeting", "subject", "asked_at"]

    def __str__(self) -> str:
        return self.question[:30]


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("投票中")
    # Voting has ended; the summed ciphertexts wait for k tellers' partial decryptions.
    COUNTING = "counting", _("待监票人解密")
    CLOSED = "closed", _("已结束")
    PUBLISHED = "published", _("已公布")


BALLOT_WORKFLOW = Workflow(
    noun="测评",
    action="ballot",
    moves=(
        Move(BallotStatus.DRAFT, BallotStatus.OPEN, "开始投票"),
        Move(
            BallotStatus.OPEN,
            BallotStatus.COUNTING,
            "结束投票",
            confirm="结束投票后不能再投票，由监票人解密计票。确定结束？",
        ),
        # Made by the k-th teller's valid partial decryption (ballot_decrypt), never by a
        # button: no role may make it by hand.
        Move(BallotStatus.COUNTING, BallotStatus.CLOSED, "监票人解密计票", roles=()),
        # Both through a page of their own (ballots.views.publishing): opening after a
        # confirmation page, publishing after a preview of the exact public text.
        Move(BallotStatus.CLOSED, BallotStatus.PUBLISHED, "公布结果"),
    ),
    labels=dict(BallotStatus.choices),
)


class BallotPurpose(models.TextChoices):
    REVIEW = "review", _("述职评议满意度测评")
    RECTIFICATION = "rectification", _("整改情况满意度测评")
    PRACTICE = "practice", _("试投票")


class BallotScheme(models.TextChoices):
    # Ballots counted before #22: the server held the Paillier key. Only read and verified.
    PAILLIER = "paillier", _("服务器密钥（旧）")
    # Voter-side exponential ElGamal, tellers k of n (ballots.elgamal).
    ELGAMAL = "elgamal", _("监票人密钥")


def election_id_new() -> str:
    return uuid.uuid4().hex


class Ballot(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("评议活动"), on_delete=models.PROTECT, related_name="ballots"
    )
    meeting = models.ForeignKey(
        ReviewMeeting,
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    name = models.CharField(_("测评名称"), max_length=120)
    purpose = models.CharField(
        _("用途"), max_length=16, choices=BallotPurpose.choices, default=BallotPurpose.REVIEW
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上一轮"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_round",
    )
    options = models.JSONField(_("选项"), help_text=_("从好到差，例如 满意、基本满意、不满意"))
    abstain_allowed = models.BooleanField(_("设“弃权”"), default=False)
    favourable = models.JSONField(_("计为满意的选项"), help_text=_("例如 满意、基本满意"))
    composition_size = models.PositiveSmallIntegerField(_("组成人员总数"))
    quorum = models.PositiveSmallIntegerField(
        _("最低参加人数"), help_text=_("默认：超过组成人员总数的一半")
    )
    outcomes = models.JSONField(
        _("测评结果档次"), default=list, help_text=_("从好到差，例如 满意、基本满意、不满意")
    )
    rule_preset = models.CharField(_("结果规则（预设）"), max_length=40, default="default")
    rule_spec = models.JSONField(_("结果规则"), default=dict)
    present_count = models.PositiveSmallIntegerField(_("出席人数"), null=True, blank=True)
    quorum_base = models.CharField(
        _("最低参加人数的基数"),
        max_length=12,
        choices=[("composition", BASES["composition"]), ("present", BASES["present"])],
        default="composition",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.DRAFT
    )
    scheme = models.CharField(
        _("加密方式"),
        max_length=10,
        choices=BallotScheme.choices,
        default=BallotScheme.ELGAMAL,
        editable=False,
    )
    # Hashed into every proof and key file: a sheet or key file of one ballot is refused
    # by any other, even one with the same id in another installation.
    election_id = models.CharField(max_length=32, default=election_id_new, editable=False)
    teller_count = models.PositiveSmallIntegerField(_("监票人人数"), default=3)
    teller_threshold = models.PositiveSmallIntegerField(_("解密所需监票人数"), default=2)
    # The joint public key (hex), the sum of the tellers' constant commitments, set once
    # every teller has published; the summed ciphertexts of every sheet, set at close.
    joint_key = models.CharField(max_length=64, blank=True, editable=False)
    tally = models.JSONField(default=list, blank=True, editable=False)
    # Before #22 (scheme paillier): the Paillier public key (n, hexadecimal) and slot
    # width of the sheets, set at open; the private key was a file destroyed on close.
    public_key = models.TextField(blank=True, editable=False)
    slot_bits = models.PositiveSmallIntegerField(default=0, editable=False)
    # At close: the product of all sheets, its plaintext and the proof factors (hex), so
    # anyone can check the published counts against the stored sheets.
    tally_proof = models.JSONField(default=dict, blank=True, editable=False)
    opened_at = models.DateTimeField(_("开始投票"), null=True, blank=True)
    # Set when the ballot opened outside the stage it belongs to: why, in the office's words
    # (ballots.services.ballot_open). Shown on the ballot's pages.
    open_reason = models.TextField(_("不在规定阶段开始投票的说明"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("结束投票"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    is_valid = models.BooleanField(_("有效"), null=True, editable=False)
    invalid_reason = models.CharField(_("无效原因"), max_length=300, blank=True)
    web_participants = models.PositiveIntegerField(_("网上投票人数"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.round} 轮）" if self.round > 1 else self.name

    @property
    def crypto_id(self) -> str:
        """The ballot id hashed into proofs and key files (printable ASCII)."""
        return f"ballot-{self.pk}-{self.election_id}"

    @property
    def layout(self) -> list[int]:
        """Options per subject, in the sheet's order: what sheets are checked against.
        (ballots.selectors.ballot_for_voter annotates the number of subjects.)"""
        count = getattr(self, "item_count", None)
        return [len(self.sheet_options)] * (self.items.count() if count is None else count)

    @property
    def unfavourable(self) -> str:
        return self.options[-1]

    @property
    def spec(self) -> RuleSpec:
        return RuleSpec.from_json(self.rule_spec)

    @property
    def rule_text(self) -> str:
        return describe(self.spec, self.outcomes)

    @property
    def lowest_outcome(self) -> str:
        return self.outcomes[-1]

    @property
    def not_counted(self) -> list[str]:
        """Options the rule counts as returned but not valid (不了解), on the sheet after
        the ballot's own options."""
        return list(self.rule_spec.get("not_counted") or []) if self.rule_spec else []

    @property
    def scored(self) -> bool:
        return bool(self.rule_spec) and self.rule_spec.get("method") == "score"

    @property
    def sheet_options(self) -> list[str]:
        """The ballot options as the sheet shows them: the options, the rule's not-counted
        options (不了解), then 弃权 if allowed. Each is one slot of the encrypted sheet."""
        extra = ["弃权"] if self.abstain_allowed else []
        return [*self.options, *self.not_counted, *extra]


class BallotItem(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="items")
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("评议对象"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "subject"], name="ballot_item_once")
        ]

    def __str__(self) -> str:
        return self.subject.person_name


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


class PaperTally(models.Model):
    """Paper ballots of one voter group as counted: sheets issued and returned. Written
    only from two agreeing PaperEntry typings (ballots.services.paper)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_tallies")
    voter_group = models.ForeignKey(
        VoterGroup, verbose_name=_("投票人类别"), on_delete=models.CASCADE
    )
    issued = models.PositiveIntegerField(_("发出票数"))
    returned = models.PositiveIntegerField(_("收回票数"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter_group"], name="paper_tally_once")
        ]


class PaperEntryNumber(models.IntegerChoices):
    FIRST = 1, _("第一次录入")
    SECOND = 2, _("第二次录入")


class PaperEntry(models.Model):
    """One typing of a voter group's paper totals (纸质票双人录入). Two office users type the
    counting form (计票单) separately; only when the two entries agree field by field does
    the group's PaperTally exist, and only a PaperTally is counted. Either entry may be
    redone (by its author or a third office user, never by the other entry's author).

    counts: {subject id (str): {option: n, …, "invalid": n}}, every option of the sheet."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_entries")
    voter_group = models.ForeignKey(
        VoterGroup,
        verbose_name=_("投票人类别"),
        on_delete=models.CASCADE,
        related_name="paper_entries",
    )
    number = models.PositiveSmallIntegerField(_("录入次序"), choices=PaperEntryNumber.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"))
    issued = models.PositiveIntegerField(_("发出票数"))
    returned = models.PositiveIntegerField(_("收回票数"))
    counts = models.JSONField(_("各选项票数"))

    class Meta:
        verbose_name = _("纸质票录入")
        verbose_name_plural = _("纸质票录入")
        ordering = ["ballot", "voter_group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "voter_group", "number"], name="paper_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter_group.name}{self.get_number_display()}"


class PaperCount(models.Model):
    tally = models.ForeignKey(PaperTally, on_delete=models.CASCADE, related_name="counts")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=20)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tally", "subject", "option"], name="paper_count_once")
        ]


class BallotResult(models.Model):
    """The stored result for one subject: computed once on close, never changed."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="results")
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="ballot_results",
    )
    counts = models.JSONField(_("各选项票数（加权）"))
    committee_counts = models.JSONField(_("常委会组成人员票数"), default=dict)
    web_counts = models.JSONField(_("网上票数"))
    paper_counts = models.JSONField(_("纸质票数"))
    bases = models.JSONField(_("各项基数"), default=dict)
    valid = models.DecimalField(_("有效票"), max_digits=10, decimal_places=2)
    issued = models.DecimalField(_("发出票"), max_digits=10, decimal_places=2)
    rate = models.DecimalField(_("满意率（%）"), max_digits=6, decimal_places=2, null=True)
    # Score rules (按分值计分): the mean score, rounded to 2 places (the rank and the band
    # were decided on the exact fraction), and each voter group's own counts it came from.
    score = models.DecimalField(_("得分"), max_digits=9, decimal_places=2, null=True, blank=True)
    group_counts = models.JSONField(_("各类投票人票数"), default=dict, blank=True)
    outcome = models.CharField(_("测评结果"), max_length=20)
    explanation = models.TextField(_("结果说明"))
    rule_snapshot = models.JSONField(_("所用规则"))
    # Web counts per voter group that voted on the web ({group name: {option: n}}), as the
    # tellers decrypted them; empty on results counted before groups voted on the web.
    web_group_counts = models.JSONField(_("各类别网上票数"), default=dict)
    rank = models.PositiveSmallIntegerField(_("排名"))  # tied (并列) results share a rank

    class Meta:
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        ordering = ["ballot", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "subject"], name="ballot_result_once")
        ]

    def __str__(self) -> str:
        # Shown wherever a result is named (the admin lists protected objects by it), so
        # it names the outcome only under the one rule: once the ballot is published.
        from .selectors import ballot_results_visible  # selectors import this module

        if ballot_results_visible(self.ballot):
            return f"{self.subject.person_name}：{self.outcome}"
        return f"{self.subject.person_name}（结果未公布）"

    @property
    def rank_text(self) -> str:
        """The rank as pages print it: 2（并列） when ballots.selectors.ballot_results found
        another result with the same rank."""
        return f"{self.rank}（并列）" if getattr(self, "tied", False) else str(self.rank)
