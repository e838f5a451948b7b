import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actors import Actor
from .files import PrivateUploadTo


class NamedUpload(models.Model):
    """The base of every model that keeps an uploaded file: the name it was sent under.
    The file field itself is the model's own (each keeps its files in its own folder)."""

    original_name = models.CharField(_("原文件名"), max_length=200)

    class Meta:
        abstract = True


class Upload(NamedUpload):
    """An uploaded file as a user sent it (duty-report versions, investigation activities'
    attachments): its name, size, kind (by content, core.files.check_upload), uploader and
    time. A copy made by the system from another upload is a NamedUpload."""

    size = models.PositiveIntegerField(_("大小（字节）"))
    content_kind = models.CharField(_("文件类型"), max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    @staticmethod
    def checked_fields(checked, actor: Actor) -> dict:
        """The fields of an upload checked by core.files.check_upload, sent by `actor`."""
        return {
            "original_name": checked.original_name,
            "size": checked.size,
            "content_kind": checked.kind,
            "uploaded_by": actor,
        }


class AuditEntryQuerySet(models.QuerySet):
    """Audit entries, filtered by their campaign and subject as by a foreign key:
    `filter(campaign=c, subject=s)` reads `filter(campaign_id=c.pk, subject_id=s.pk)`
    (a generic relation cannot be filtered by its object)."""

    _GENERIC = ("campaign", "subject")

    def _by_id(self, kwargs: dict) -> dict:
        for name in self._GENERIC:
            if name in kwargs:
                value = kwargs.pop(name)
                kwargs[f"{name}_id"] = value.pk if isinstance(value, models.Model) else value
        return kwargs

    def filter(self, *args, **kwargs):
        return super().filter(*args, **self._by_id(kwargs))

    def exclude(self, *args, **kwargs):
        return super().exclude(*args, **self._by_id(kwargs))


class AuditEntry(models.Model):
    """Who did what, when. Written only by core.audit.audit_log, never edited."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    # The campaign and the subject the entry is filed under (the 操作记录 page filters by
    # them). Generic relations, not foreign keys: campaigns and subjects live in apps above
    # core, which names none of their models; a deleted campaign or subject leaves its id,
    # and the relation then reads None.
    campaign_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign_id = models.PositiveBigIntegerField(_("评议活动"), null=True, blank=True)
    campaign = GenericForeignKey("campaign_type", "campaign_id")
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("评议对象"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("内容"), max_length=500)
    data = models.JSONField(_("详细数据"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["campaign_id"], name="audit_entry_campaign"),
            models.Index(fields=["subject_id"], name="audit_entry_subject"),
        ]

    def __str__(self) -> str:
        from .formats import cn_datetime

        return f"{cn_datetime(self.at)} {self.summary}"


class Notification(models.Model):
    """An in-app message to one user; the navigation bar counts the unread ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """One reminder sent for one deadline, kind and day. The unique key is written before
    anything is sent, so a second sweep, a retried task or a second worker sends nothing."""

    key = models.CharField("提醒标识", max_length=200, unique=True)
    deadline = models.CharField("期限", max_length=150)
    kind = models.CharField("类型", max_length=20)
    day = models.DateField("日期")
    claim = models.UUIDField("发送批次")
    summary = models.CharField("内容", max_length=300)
    recipients = models.PositiveSmallIntegerField("收件人数", default=0)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.summary


# A job still queued or rendering after this long is taken as lost (e.g. the broker was
# restarted) and may be requested again; the task itself is idempotent.
STALE_RENDER = datetime.timedelta(minutes=10)


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("排队生成")
    RENDERING = "rendering", _("正在生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class RenderedDocument(models.Model):
    """The PDF of a document (评议意见书, 调查报告, 情况简报) and its render job: the one
    lifecycle of every PDF, driven by core.documents."""

    kind = models.CharField("文书", max_length=20)
    object_id = models.PositiveIntegerField("对象编号")
    status = models.CharField(
        "状态", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    error = models.TextField("错误信息", blank=True)
    pdf = models.FileField(
        "PDF", upload_to=PrivateUploadTo("documents"), blank=True, max_length=200
    )
    name = models.CharField("文件名", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)
    requested_at = models.DateTimeField("提交生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "文书 PDF"
        verbose_name_plural = "文书 PDF"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="rendered_document_once")
        ]

    def __str__(self) -> str:
        return self.name or f"{self.kind} {self.object_id}"

    @property
    def in_progress(self) -> bool:
        """Queued or rendering, and not yet taken as lost (see STALE_RENDER)."""
        return (
            self.status in (DocumentStatus.QUEUED, DocumentStatus.RENDERING)
            and self.requested_at is not None
            and timezone.now() - self.requested_at < STALE_RENDER
        )


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发出"
    FAILED = "failed", "已放弃"
    CANCELLED = "cancelled", "已取消"


class OutgoingEmail(models.Model):
    """One e-mail to one recipient, written in the transaction that caused it and sent by
    core.outbox, which retries with backoff: a mail server that is down loses nothing.

    (kind, key, recipient) is unique, so whatever causes a mail twice queues it once."""

    kind = models.CharField("来源", max_length=30)
    key = models.CharField("来源标识", max_length=200)
    recipient = models.EmailField("收件人", max_length=254)
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    status = models.CharField(
        "状态", max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("排队时间", auto_now_add=True)
    sent_at = models.DateTimeField("发出时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发邮件"
        verbose_name_plural = "邮件发送队列"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="outgoing_email_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}：{self.subject}"


class LoginLockout(AccessAttempt):
    """django-axes' record of wrong passwords for one login from one address, as the office
    sees it in the admin (axes ships no Chinese admin of its own)."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"

    def __str__(self) -> str:
        return f"{self.username}（{self.ip_address}）"

    @property
    def locked_until(self) -> datetime.datetime | None:
        """When the lockout ends; None while the login is not locked."""
        from django.utils import timezone

        if self.failures_since_start < settings.AXES_FAILURE_LIMIT:
            return None
        until = self.attempt_time + settings.AXES_COOLOFF_TIME
        return until if until > timezone.now() else None


class PasswordChangeRequired(models.Model):
    """Present while a login still has the password the office gave it (a new account, or
    one the office reset): until its owner chooses their own, every page leads to the
    password change (core.middleware). The demo's logins have none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="password_change_required",
        verbose_name="用户",
    )
    since = models.DateTimeField("设定时间", auto_now_add=True)

    class Meta:
        verbose_name = "待修改初始密码"
        verbose_name_plural = "待修改初始密码"

    def __str__(self) -> str:
        return str(self.user)


class UserPreference(models.Model):
    """How the site is shown to one login, remembered across browsers: 大字模式 (large
    text, as the 适老化 guidance for public-service websites asks: base text at least
    18 pt, line spacing at least 1.3). No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name="用户",
    )
    large_text = models.BooleanField("大字模式", default=False)

    class Meta:
        verbose_name = "显示偏好"
        verbose_name_plural = "显示偏好"

    def __str__(self) -> str:
        return str(self.user)


class ImportJob(models.Model):
    """An Excel import that opens logins, run by a worker (core.imports).

    The file was checked when it was queued; `rows` holds its checked rows until the
    worker has created them, all in one transaction. `result` is the Excel of new logins
    and initial passwords: downloaded once by whoever ran the import, then deleted, or
    deleted unread a day after the import finished."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导入内容", max_length=40)
    label = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField("文件名", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    rows = models.JSONField("待导入的行", default=list, blank=True)
    total = models.PositiveIntegerField("行数", default=0)
    created_count = models.PositiveIntegerField("已导入", default=0)
    accounts_count = models.PositiveIntegerField("新开通账号", default=0)
    error = models.TextField("错误信息", blank=True)
    errors = models.JSONField("逐行错误", default=list, blank=True)
    result = models.FileField(
        "初始密码名单", upload_to=PrivateUploadTo("imports"), blank=True, max_length=200
    )
    result_taken_at = models.DateTimeField("名单下载时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "Excel 导入任务"
        verbose_name_plural = "Excel 导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label}：{self.file_name}"
