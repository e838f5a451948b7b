"""Everything that writes the list of deputies (人大代表) the questionnaires are sent to."""

from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.services import (
    apply_changes,
    changed_labels,
    delete_or_raise,
    require_office,
    validate_or_raise,
)

from ..audit import AuditAction
from ..models import Deputy, RespondentCode

DEPUTY_EDITABLE = ("name", "delegation", "phone", "is_active")


@transaction.atomic
def deputy_create(
    *, actor: Actor, name: str, delegation: str = "", phone: str = "", is_active: bool = True
) -> Deputy:
    require_office(actor)
    deputy = Deputy(
        name=name.strip(), delegation=delegation.strip(), phone=phone.strip(), is_active=is_active
    )
    validate_or_raise(deputy)
    deputy.save()
    audit_log(
        actor=actor,
        action=AuditAction.DEPUTY_CREATE,
        summary=f"添加人大代表 {deputy}",
        target=deputy,
    )
    return deputy


@transaction.atomic
def deputy_update(*, actor: Actor, deputy: Deputy, **fields) -> Deputy:
    require_office(actor)
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    changed = apply_changes(deputy, fields, allowed=DEPUTY_EDITABLE)
    if not changed:
        return deputy
    validate_or_raise(deputy)
    deputy.save()
    audit_log(
        actor=actor,
        action=AuditAction.DEPUTY_UPDATE,
        summary=f"修改人大代表 {deputy}：{changed_labels(Deputy, changed)}",
        target=deputy,
        data=changed,
    )
    return deputy


@transaction.atomic
def deputy_delete(*, actor: Actor, deputy: Deputy) -> None:
    """Delete a deputy entered by mistake. One who was sent a questionnaire code stays on the
    list (the code is issued in their name); one who left office is marked not in office."""
    require_office(actor)
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    if RespondentCode.objects.filter(deputy=deputy).exists():
        raise ApplicationError(
            f"已向{deputy.name}发放过问卷答题码，不能删除；不再担任代表的，请取消“在任”。"
        )
    audit_log(
        actor=actor,
        action=AuditAction.DEPUTY_DELETE,
        summary=f"删除人大代表 {deputy}",
        data={"deputy_id": deputy.pk},
    )
    delete_or_raise(deputy, refused=f"不能删除{deputy.name}")
