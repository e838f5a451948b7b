"""Everything that writes the standing committee's members (常委会组成人员) and their logins."""

from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.roles import Role
from core.services import (
    account_create,
    apply_changes,
    changed_labels,
    require_office,
    validate_or_raise,
)

from ..audit import AuditAction
from ..models import Member


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    name: str,
    title: str,
    username: str,
    counts_toward_composition: bool = True,
    password: str | None = None,
    position: int = 0,
    prehashed: tuple[str, str] | None = None,
) -> tuple[Member, str | None]:
    require_office(actor)
    user, initial = account_create(
        username=username,
        full_name=name.strip(),
        role=Role.MEMBER,
        password=password,
        prehashed=prehashed,
    )
    member = Member(
        user=user,
        name=name.strip(),
        title=title.strip(),
        counts_toward_composition=counts_toward_composition,
        position=position,
    )
    validate_or_raise(member)
    member.save()
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_CREATE,
        summary=f"添加常委会组成人员 {member.name}（{member.title}）",
        target=member,
    )
    return member, initial


MEMBER_EDITABLE = ("name", "title", "counts_toward_composition", "is_active", "position")


@transaction.atomic
def member_update(*, actor: Actor, member: Member, **fields) -> Member:
    require_office(actor)
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = apply_changes(member, fields, allowed=MEMBER_EDITABLE)
    if not changed:
        return member
    validate_or_raise(member)
    member.save()
    if "name" in changed:
        member.user.first_name = member.name
        member.user.save(update_fields=["first_name"])
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_UPDATE,
        summary=f"修改常委会组成人员 {member.name}：{changed_labels(Member, changed)}",
        target=member,
        data=changed,
    )
    return member
