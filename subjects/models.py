import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo
from core.models import Upload


class OrganType(models.TextChoices):
    GOVERNMENT = "government", _("政府及其组成部门")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    SUPERVISORY = "supervisory", _("监察委员会")
    OTHER = "other", _("其他")


class ReviewForm(models.TextChoices):
    ON_SITE = "on_site", _("现场述职评议")
    WRITTEN = "written", _("书面述职评议")


# What the office types in the Excel import, mapped to the review form.
REVIEW_FORM_WORDS = {
    "现场": ReviewForm.ON_SITE,
    "现场述职": ReviewForm.ON_SITE,
    "现场述职评议": ReviewForm.ON_SITE,
    "书面": ReviewForm.WRITTEN,
    "书面述职": ReviewForm.WRITTEN,
    "书面述职评议": ReviewForm.WRITTEN,
}


class Unit(models.Model):
    """A state organ or department whose officials can be reviewed (县发改委, 县人民法院 …)."""

    name = models.CharField(_("单位名称"), max_length=80, unique=True)
    organ_type = models.CharField(_("机关类别"), max_length=20, choices=OrganType.choices)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["organ_type", "name"]

    def __str__(self) -> str:
        return self.name


class LiaisonCommittee(models.Model):
    """A working committee of the standing committee (有关工作委员会) that follows its subjects."""

    name = models.CharField(_("委室名称"), max_length=80, unique=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委室工作人员"),
        blank=True,
        related_name="liaison_committees",
    )

    class Meta:
        verbose_name = _("联系委室")
        verbose_name_plural = _("联系委室")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """A person under review in one campaign (评议对象)."""

    campaign = models.ForeignKey(
        "reviews.Campaign",
        verbose_name=_("评议活动"),
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    person_name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=80)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    appointed_on = models.DateField(_("任现职时间"))
    review_form = models.CharField(_("评议形式"), max_length=10, choices=ReviewForm.choices)
    liaison_committee = models.ForeignKey(
        LiaisonCommittee,
        verbose_name=_("联系委室"),
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.PROTECT,
        related_name="subject_roles",
        null=True,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "person_name"],
                name="subject_unique_person_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["campaign", "user"], name="subject_unique_user_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.post} {self.person_name}"

    @property
    def organ_type(self) -> str:
        return self.unit.organ_type

    def get_organ_type_display(self) -> str:
        return self.unit.get_organ_type_display()

    def tenure_on(self, day: datetime.date | None = None) -> tuple[int, int]:
        """Whole years and months in the current post on `day` (today by default)."""
        day = day or timezone.localdate()
        months = (day.year - self.appointed_on.year) * 12 + day.month - self.appointed_on.month
        if day.day < self.appointed_on.day:
            months -= 1
        months = max(months, 0)
        return months // 12, months % 12

    def tenure_text(self, day: datetime.date | None = None) -> str:
        years, months = self.tenure_on(day)
        if years and months:
            return f"{years}年{months}个月"
        if years:
            return f"{years}年"
        return f"{months}个月"

    @property
    def tenure_display(self) -> str:
        """Tenure as of the campaign's review meeting, the day the 3-year rule is judged."""
        return self.tenure_text(self.campaign.reference_date())


class ReportKind(models.TextChoices):
    DRAFT = "draft", _("初稿")
    FINAL = "final", _("定稿")


class DutyReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已接受")
    SUPERSEDED = "superseded", _("已被新版本替代")


class DutyReportVersion(Upload):
    """One uploaded version of a subject's duty report (述职报告). Never overwritten."""

    # Random ids: a version's URL reveals nothing and cannot be guessed from another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="report_versions",
    )
    kind = models.CharField(_("稿别"), max_length=10, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField(_("版本号"))
    file = models.FileField(_("文件"), upload_to=PrivateUploadTo("reports"), max_length=200)
    is_late = models.BooleanField(_("逾期提交"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=DutyReportStatus.choices,
        default=DutyReportStatus.SUBMITTED,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("述职报告版本")
        verbose_name_plural = _("述职报告")
        ordering = ["subject", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "number"], name="report_version_number_unique"
            ),
            # The database itself keeps an accepted final unique, so it cannot be replaced.
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(kind="final", status="accepted"),
                name="report_one_accepted_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject.person_name} 述职报告{self.get_kind_display()} 第{self.number}版"

    @property
    def title(self) -> str:
        """How messages name it: 金立新的述职报告定稿."""
        return f"{self.subject.person_name}的述职报告{self.get_kind_display()}"
