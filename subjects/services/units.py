"""Everything that writes units (单位) and liaison committees (联系委室), the lists subjects
are filed under. Both outlive campaigns: one in use by a subject stays."""

from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.roles import Role, user_add_role
from core.services import (
    apply_changes,
    changed_labels,
    delete_or_raise,
    require_office,
    validate_or_raise,
)

from ..audit import AuditAction
from ..models import LiaisonCommittee, Subject, Unit

UNIT_EDITABLE = ("name", "organ_type")


@transaction.atomic
def unit_create(*, actor: Actor, name: str, organ_type: str) -> Unit:
    require_office(actor)
    unit = Unit(name=name.strip(), organ_type=organ_type)
    validate_or_raise(unit)
    unit.save()
    audit_log(
        actor=actor,
        action=AuditAction.UNIT_CREATE,
        summary=f"添加单位 {unit.name}（{unit.get_organ_type_display()}）",
        target=unit,
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, **fields) -> Unit:
    """Rename a unit (e.g. after an institutional reform) or correct its kind of organ."""
    require_office(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = unit.name
    changed = apply_changes(unit, fields, allowed=UNIT_EDITABLE)
    if not changed:
        return unit
    validate_or_raise(unit)
    unit.save()
    audit_log(
        actor=actor,
        action=AuditAction.UNIT_UPDATE,
        summary=f"修改单位 {name}：{changed_labels(Unit, changed)}",
        target=unit,
        data=changed,
    )
    return unit


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    require_office(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if Subject.objects.filter(unit=unit).exists():
        raise ApplicationError(f"已有评议对象属于{unit.name}，不能删除该单位。")
    audit_log(
        actor=actor,
        action=AuditAction.UNIT_DELETE,
        summary=f"删除单位 {unit.name}",
        data={"unit_id": unit.pk},
    )
    delete_or_raise(unit, refused=f"不能删除{unit.name}")


def _set_users(*, committee: LiaisonCommittee, users) -> bool:
    """Set the committee's staff, each with the liaison role; True when it changed."""
    before = set(committee.users.values_list("pk", flat=True))
    committee.users.set(users)
    for user in users:
        user_add_role(user=user, role=Role.LIAISON)
    return before != {u.pk for u in users}


@transaction.atomic
def liaison_committee_create(*, actor: Actor, name: str, users=()) -> LiaisonCommittee:
    require_office(actor)
    committee = LiaisonCommittee(name=name.strip())
    validate_or_raise(committee)
    committee.save()
    audit_log(
        actor=actor,
        action=AuditAction.LIAISON_CREATE,
        summary=f"添加联系委室 {committee.name}",
        target=committee,
    )
    liaison_committee_set_users(actor=actor, committee=committee, users=list(users))
    return committee


@transaction.atomic
def liaison_committee_update(
    *, actor: Actor, committee: LiaisonCommittee, name: str | None = None, users=None
) -> LiaisonCommittee:
    """Rename a committee and/or set its staff (None: unchanged)."""
    require_office(actor)
    committee = LiaisonCommittee.objects.select_for_update().get(pk=committee.pk)
    before = committee.name
    changed = (
        {} if name is None else apply_changes(committee, {"name": name.strip()}, allowed=("name",))
    )
    if changed:
        validate_or_raise(committee)
        committee.save()
        audit_log(
            actor=actor,
            action=AuditAction.LIAISON_UPDATE,
            summary=f"联系委室 {before} 更名为 {committee.name}",
            target=committee,
            data=changed,
        )
    if users is not None:
        liaison_committee_set_users(actor=actor, committee=committee, users=users)
    return committee


@transaction.atomic
def liaison_committee_set_users(*, actor: Actor, committee: LiaisonCommittee, users) -> None:
    """Set who works for a liaison committee; each of them gets the liaison role."""
    require_office(actor)
    if _set_users(committee=committee, users=users):
        names = "、".join(u.get_full_name() or u.username for u in users) or "（无）"
        audit_log(
            actor=actor,
            action=AuditAction.LIAISON_USERS,
            summary=f"{committee.name}工作人员设为：{names}",
            target=committee,
            data={"users": sorted(u.pk for u in users)},
        )


@transaction.atomic
def liaison_committee_delete(*, actor: Actor, committee: LiaisonCommittee) -> None:
    require_office(actor)
    committee = LiaisonCommittee.objects.select_for_update().get(pk=committee.pk)
    if Subject.objects.filter(liaison_committee=committee).exists():
        raise ApplicationError(f"{committee.name}仍联系着评议对象，不能删除。")
    audit_log(
        actor=actor,
        action=AuditAction.LIAISON_DELETE,
        summary=f"删除联系委室 {committee.name}",
        data={
            "committee_id": committee.pk,
            "users": list(committee.users.values_list("pk", flat=True)),
        },
    )
    delete_or_raise(committee, refused=f"不能删除{committee.name}")
