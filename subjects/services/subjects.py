"""Everything that writes review subjects and their login accounts."""

import datetime

from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.roles import Role, user_has_role
from core.services import (
    account_create,
    apply_changes,
    changed_labels,
    delete_or_raise,
    require_office,
    validate_or_raise,
)
from reviews.models import Campaign, CampaignStage

from ..audit import AuditAction
from ..models import LiaisonCommittee, Subject, Unit


def require_preparation(campaign: Campaign) -> None:
    if campaign.stage != CampaignStage.PREPARATION:
        raise ApplicationError(
            f"“{campaign.name}”已进入{campaign.get_stage_display()}，只能在准备阶段增减评议对象。"
        )


def _attach_account(
    *, subject: Subject, username: str, password: str | None, prehashed: tuple[str, str] | None
):
    """Give the subject a login: an existing subject account (from an earlier year) or a new one."""
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(username=username.strip()).first()
    if existing is None:
        user, initial = account_create(
            username=username,
            full_name=subject.person_name,
            role=Role.SUBJECT,
            password=password,
            prehashed=prehashed,
        )
        return user, initial
    if not user_has_role(existing, Role.SUBJECT) or existing.is_staff:
        raise ApplicationError(f"登录名“{username}”已被其他人员使用。")
    if Subject.objects.filter(campaign=subject.campaign, user=existing).exists():
        raise ApplicationError(f"登录名“{username}”已是本次活动另一名评议对象的账号。")
    return existing, None


@transaction.atomic
def subject_create(
    *,
    actor: Actor,
    campaign: Campaign,
    person_name: str,
    post: str,
    unit: Unit,
    appointed_on: datetime.date,
    review_form: str,
    liaison_committee: LiaisonCommittee,
    username: str = "",
    password: str | None = None,
    position: int | None = None,
    prehashed: tuple[str, str] | None = None,
) -> tuple[Subject, str | None]:
    """Add a subject to a campaign in preparation; returns the subject and any new initial password."""
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_preparation(campaign)
    if position is None:
        position = campaign.subjects.count() + 1
    subject = Subject(
        campaign=campaign,
        person_name=person_name.strip(),
        post=post.strip(),
        unit=unit,
        appointed_on=appointed_on,
        review_form=review_form,
        liaison_committee=liaison_committee,
        position=position,
    )
    validate_or_raise(subject)
    initial = None
    if username.strip():
        subject.user, initial = _attach_account(
            subject=subject, username=username, password=password, prehashed=prehashed
        )
    subject.save()
    audit_log(
        actor=actor,
        action=AuditAction.SUBJECT_CREATE,
        summary=f"“{campaign.name}”添加评议对象：{subject}（{subject.get_review_form_display()}）",
        target=subject,
        campaign=campaign,
        subject=subject,
    )
    return subject, initial


SUBJECT_EDITABLE = (
    "person_name",
    "post",
    "unit",
    "appointed_on",
    "review_form",
    "liaison_committee",
    "position",
)


@transaction.atomic
def subject_update(*, actor: Actor, subject: Subject, **fields) -> Subject:
    require_office(actor)
    subject = Subject.objects.select_for_update().select_related("campaign").get(pk=subject.pk)
    changed = apply_changes(subject, fields, allowed=SUBJECT_EDITABLE)
    if "review_form" in changed and subject.campaign.stage not in (
        CampaignStage.PREPARATION,
        CampaignStage.PRELIMINARY,
    ):
        raise ApplicationError("评议阶段开始后不能再改变评议形式。")
    if not changed:
        return subject
    validate_or_raise(subject)
    subject.save()
    audit_log(
        actor=actor,
        action=AuditAction.SUBJECT_UPDATE,
        summary=f"修改评议对象 {subject.person_name}：{changed_labels(Subject, changed)}",
        target=subject,
        campaign=subject.campaign,
        subject=subject,
        data=changed,
    )
    return subject


@transaction.atomic
def subject_account_set(
    *, actor: Actor, subject: Subject, username: str, password: str | None = None
):
    """Give a subject without a login an account; returns the new initial password, if any."""
    require_office(actor)
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    if subject.user_id:
        raise ApplicationError(f"{subject.person_name} 已有登录账号。")
    subject.user, initial = _attach_account(subject=subject, username=username, password=password)
    subject.save(update_fields=["user"])
    audit_log(
        actor=actor,
        action=AuditAction.SUBJECT_ACCOUNT,
        summary=f"为评议对象 {subject.person_name} 设置登录账号 {subject.user.username}",
        target=subject,
        campaign=subject.campaign,
        subject=subject,
    )
    return initial


@transaction.atomic
def subject_delete(*, actor: Actor, subject: Subject) -> None:
    require_office(actor)
    subject = Subject.objects.select_for_update().select_related("campaign").get(pk=subject.pk)
    require_preparation(subject.campaign)
    audit_log(
        actor=actor,
        action=AuditAction.SUBJECT_DELETE,
        summary=f"“{subject.campaign.name}”移除评议对象：{subject}",
        campaign=subject.campaign,
        data={"subject_id": subject.pk},
    )
    delete_or_raise(subject, refused=f"不能移除评议对象 {subject.person_name}")
