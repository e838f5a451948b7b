"""One way to move a state.

Every stateful entity (campaign, duty report, investigation report, questionnaire, ballot,
review opinion, rectification plan, rectification report) declares a Workflow: its status
field and a table of Moves, each with the roles that may make it. A service moves an
entity only by calling `transition`, inside its own transaction, after doing whatever the
move entails: the helper locks the row, re-reads its status from the database (so two
racing moves cannot both pass), checks the move and the actor, sets the status and any
stamped fields, saves, and writes the audit entry. Pages ask `workflow.moves_for(obj,
user)` which buttons to show instead of comparing status strings.
"""

from dataclasses import dataclass, field

from django.db import models, transaction

from .audit import audit_actions_register, audit_log
from .errors import ApplicationError
from .roles import Role, user_has_role


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: str  # the button, in Chinese: 开始投票, 退回, …
    roles: tuple[Role, ...] = (Role.OFFICE,)
    confirm: str = ""  # asked before an irreversible move


@dataclass(frozen=True)
class Workflow:
    noun: str  # what the entity is called in messages: 测评, 问卷, 调查报告 …
    action: str  # audit action prefix: ballot, questionnaire, …
    moves: tuple[Move, ...]
    labels: dict = field(default_factory=dict)  # status value -> Chinese label
    status_field: str = "status"
    audit_noun: str = ""  # the entity's name in the audit log, when `noun` reads oddly there

    def __post_init__(self):
        # The audit codes of this workflow's moves, named for the 操作记录 page.
        audit_actions_register(
            (
                f"{self.action}.{m.target}",
                f"{self.verb(m.target)}（{self.audit_noun or self.noun}）",
            )
            for m in self.moves
        )

    def move(self, source: str, target: str) -> Move | None:
        return next((m for m in self.moves if m.source == source and m.target == target), None)

    def moves_for(self, obj: models.Model, user) -> list[Move]:
        """The moves this user may make on this entity now (for its page's buttons)."""
        current = getattr(obj, self.status_field)
        return [m for m in self.moves if m.source == current and user_has_role(user, *m.roles)]

    def label(self, status: str) -> str:
        return str(self.labels.get(status, status))

    def verb(self, to: str) -> str:
        """What moving to `to` is called: the label of the moves that lead there."""
        return "、".join(sorted({m.label for m in self.moves if m.target == to})) or self.label(to)

    def refuse(self, current: str, to: str) -> ApplicationError:
        return ApplicationError(f"{self.noun}{self.label(current)}，不能{self.verb(to)}。")

    def require(self, current: str, to: str) -> "Move":
        """The move from `current` to `to`, or the refusal: services call this to fail fast
        before the move's work, and transition() again under the lock."""
        move = self.move(current, to)
        if move is None:
            raise self.refuse(current, to)
        return move


def transition(
    *,
    obj: models.Model,
    to: str,
    workflow: Workflow,
    actor,
    summary: str,
    stamp: dict | None = None,
    campaign=None,
    subject=None,
    check_roles: bool = True,
) -> models.Model:
    """Move `obj` to `to`. Call inside the service's transaction; raises ApplicationError
    (nothing written) when the move is not allowed from the current state or by this actor."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() runs inside the service's transaction")
    model = type(obj)
    current = (
        model.objects.select_for_update()
        .values_list(workflow.status_field, flat=True)
        .get(pk=obj.pk)
    )
    move = workflow.require(current, to)
    if check_roles and not user_has_role(actor, *move.roles):
        who = "、".join(str(r.label) for r in move.roles)
        raise ApplicationError(f"只有{who}可以{move.label}。")
    setattr(obj, workflow.status_field, to)
    stamp = stamp or {}
    for name, value in stamp.items():
        setattr(obj, name, value)
    obj.save(update_fields=[workflow.status_field, *stamp])
    audit_log(
        actor=actor,
        action=f"{workflow.action}.{to}",
        summary=summary,
        target=obj,
        campaign=campaign,
        subject=subject,
    )
    return obj
