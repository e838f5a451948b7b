"""The ballot itself: its states, purposes, encryption scheme, set-up and subjects."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from reviews.models import Campaign

from ..rules import BASES, RuleSpec, describe
from .meetings import ReviewMeeting


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("投票中")
    # Voting has ended; the summed ciphertexts wait for k tellers' partial decryptions.
    COUNTING = "counting", _("待监票人解密")
    CLOSED = "closed", _("已结束")
    PUBLISHED = "published", _("已公布")


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
