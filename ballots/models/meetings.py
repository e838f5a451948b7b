"""The review meeting, its agenda and the members' inquiries (询问)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviews.models import Campaign


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
