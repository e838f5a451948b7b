"""Paper ballots as counted (two agreeing typings) and the stored results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ballot import Ballot
from .voters import VoterGroup


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
        from ..selectors import ballot_results_visible  # selectors import this module

        if ballot_results_visible(self.ballot):
            return f"{self.subject.person_name}：{self.outcome}"
        return f"{self.subject.person_name}（结果未公布）"

    @property
    def rank_text(self) -> str:
        """The rank as pages print it: 2（并列） when ballots.selectors.ballot_results found
        another result with the same rank."""
        return f"{self.rank}（并列）" if getattr(self, "tied", False) else str(self.rank)
