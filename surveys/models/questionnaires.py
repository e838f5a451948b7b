"""Questionnaires (征求意见) for deputies, the public and enterprises.

Responses are anonymous, also to a database reader. Submitting marks the code (or the
device) used and stores a SealedResponse: fixed-size AES-GCM ciphertext under the
questionnaire's key, which lives outside the database (core.keystore). Once at least
QUESTIONNAIRE_BATCH_SIZE sealed responses wait, another transaction opens them all, shuffles
them and writes them as Response rows with random ids, no code, no device, no time. So a
response shares no transaction id with the code that produced it, its row order is a
shuffle within its batch, and the sealed rows it came from all have one length. On close
the rest are written and the key is destroyed, so dead sealed rows can never be opened.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

# Codes are typed from paper: no 0/O, 1/I/l.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_public_token() -> str:
    return secrets.token_urlsafe(12)


class Deputy(models.Model):
    """A deputy of the people's congress (人大代表) who may be asked for opinions."""

    name = models.CharField(_("姓名"), max_length=40)
    delegation = models.CharField(_("所在代表团（组）"), max_length=80, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["delegation", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.delegation}）" if self.delegation else self.name


class AccessMode(models.TextChoices):
    PERSONAL = "personal", _("人大代表：每人一个一次性答题码")
    SHEET = "sheet", _("群众、企业：每张纸质问卷一个答题码")
    DEVICE = "device", _("群众、企业：凭链接作答，每台设备限答一次（防重复较弱）")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("收集中")
    CLOSED = "closed", _("已结束")


class Questionnaire(models.Model):
    campaign = models.ForeignKey(
        "reviews.Campaign",
        verbose_name=_("评议活动"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    title = models.CharField(_("问卷标题"), max_length=120)
    intro = models.TextField(_("说明"), blank=True)
    access_mode = models.CharField(_("答题方式"), max_length=10, choices=AccessMode.choices)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    public_token = models.CharField(
        _("链接标识"), max_length=32, unique=True, default=new_public_token, editable=False
    )
    rating_options = models.JSONField(_("满意度选项"), editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开始收集时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("征求意见问卷")
        verbose_name_plural = _("征求意见问卷")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_code(self) -> bool:
        return self.access_mode in (AccessMode.PERSONAL, AccessMode.SHEET)


class QuestionKind(models.TextChoices):
    RATING = "rating", _("满意度")
    TEXT = "text", _("意见建议")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_questions",
    )
    text = models.CharField(_("题目"), max_length=300)
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="question_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text


class RespondentCode(models.Model):
    """A one-time code: personal to a deputy, or printed on one paper sheet."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("答题码"), max_length=12, default=new_code)
    label = models.CharField(_("发放对象"), max_length=80)
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("人大代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Only whether it was used: no time, so it cannot be matched to a response.
    used = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("答题码")
        verbose_name_plural = _("答题码")
        ordering = ["questionnaire", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="respondent_code_unique"
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "deputy"],
                condition=models.Q(deputy__isnull=False),
                name="respondent_code_one_per_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.code}"


class DeviceMark(models.Model):
    """In device mode: a hash of a random cookie, so one browser answers once."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "token_hash"], name="device_mark_unique"
            )
        ]

    def __str__(self) -> str:
        return self.token_hash[:8]


class SealedResponse(models.Model):
    """A submitted response waiting for its batch: ciphertext of one fixed length only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    ciphertext = models.BinaryField()

    def __str__(self) -> str:
        return str(self.id)


class Response(models.Model):
    """One anonymous response, written in a shuffled batch: random id, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="responses"
    )

    class Meta:
        verbose_name = _("问卷答卷")
        verbose_name_plural = _("问卷答卷")

    def __str__(self) -> str:
        return str(self.questionnaire)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.CharField(_("选项"), max_length=20, blank=True)
    text = models.TextField(_("意见建议"), blank=True)

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")

    def __str__(self) -> str:
        return self.option or self.text[:30]
