"""One way to move a state, and one table per stateful entity.

Every stateful entity (campaign, duty report, investigation report, questionnaire, ballot,
review opinion, rectification plan, rectification report) declares a Workflow: its status
field and a table of Moves, each with the roles that may make it. A service moves an
entity only by calling `transition`, inside its own transaction, after doing whatever the
move entails: the helper locks the row, re-reads its status from the database (so two
racing moves cannot both pass), checks the move and the actor, sets the status and any
stamped fields, saves, and writes the audit entry.

A workflow may also carry the whole rule of its entity (see rectification/workflows.py):
`access`, the entity's one access rule (who may act on this object, given a move's
roles); per move a `guard` (when the move is closed although its source state holds), the
`service` that makes it, the form its POST is read through and the message on success;
the actions that are not moves (`Action`: who, in which states, under which guard); and
when the entity is editable and by whom. Pages ask `capabilities(obj, user)` what may be
done now instead of comparing status strings; the generic views in core.object_views
run a move by its table row.

The system's jobs (document PDFs, import jobs, outbox mails: core/workflows.py) move the
same way; a batch of rows locked together (the outbox's 50 mails) moves by
`transition_batch`, which checks every row's move and saves them in one UPDATE.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from .actors import Actor
from .audit import audit_actions_register, audit_log
from .errors import ApplicationError
from .roles import Role, user_has_role

# obj -> the refusal (in Chinese) when a step is closed now although its state allows it.
Guard = Callable[[Any], str]


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: str  # the button, in Chinese: 开始投票, 退回, …
    roles: tuple[Role, ...] = (Role.OFFICE,)
    confirm: str = ""  # asked before an irreversible move
    name: str = ""  # its key in capabilities(): submit_plan, return_plan, …
    guard: Guard | None = None
    may: Callable[[Any, Any], bool] | None = None  # (user, obj): instead of the access rule
    refusal: str = ""  # said when the access rule refuses the actor ({obj} is the entity)
    service: str = ""  # dotted path of the service that makes the move
    form: Callable | None = None  # (data, files, obj) -> the form its POST is read through
    done: str = ""  # the message on success ({obj} the entity, {result} what the service returned)


@dataclass(frozen=True, kw_only=True)
class Action:
    """Something a user does to an entity that is not a status move (组织测评, 延期, 检查意见 …):
    who may, in which of the entity's states (all when empty), under which guard, and the
    service that does it with its audit action."""

    name: str
    label: str
    roles: tuple[Role, ...] = (Role.OFFICE,)
    states: tuple[str, ...] = ()
    guard: Guard | None = None
    may: Callable[[Any, Any], bool] | None = None  # (user, obj): instead of the access rule
    refusal: str = ""
    service: str = ""
    audit: tuple[str, ...] = ()  # the audit actions its service writes


@dataclass(frozen=True)
class Workflow:
    noun: str  # what the entity is called in messages: 测评, 问卷, 调查报告 …
    action: str  # audit action prefix: ballot, questionnaire, …
    moves: tuple[Move, ...]
    labels: dict = field(default_factory=dict)  # status value -> Chinese label
    status_field: str = "status"
    audit_noun: str = ""  # the entity's name in the audit log, when `noun` reads oddly there
    model: type[models.Model] | None = None  # registers the table for capabilities(obj, user)
    # (user, obj, roles) -> bool: the entity's one access rule; by default, having a role.
    access: Callable[[Any, Any, tuple[Role, ...]], bool] | None = None
    actions: tuple[Action, ...] = ()
    # Editable: in these states, by these roles (through `access`), under `edit_guard`.
    edit_name: str = ""
    edit_states: tuple[str, ...] = ()
    editors: tuple[Role, ...] = ()
    edit_guard: Guard | None = None
    edit_refusal: str = ""
    edit_closed: str = ""  # said when the state is not editable ({obj}); by default generated
    # Named facts about the current state for pages: name -> the states where it holds.
    flags: dict = field(default_factory=dict)
    # False for the system's jobs (core/workflows.py), whose moves write no audit entry.
    audited: bool = True

    def __post_init__(self):
        # The audit codes of this workflow's moves, named for the 操作记录 page.
        audit_actions_register(
            (
                f"{self.action}.{m.target}",
                f"{self.verb(m.target)}（{self.audit_noun or self.noun}）",
            )
            for m in self.moves
            if self.audited
        )
        if self.model is not None:
            _WORKFLOWS[self.model] = self

    def move(self, source: str, target: str) -> Move | None:
        return next((m for m in self.moves if m.source == source and m.target == target), None)

    def state(self, obj: models.Model) -> str:
        return getattr(obj, self.status_field)

    def may(self, user, obj, step: "Move | Action") -> bool:
        """The access rule for one step: its own `may`, else the entity's rule, else roles."""
        if getattr(step, "may", None) is not None:
            return step.may(user, obj)
        if self.access is not None:
            return self.access(user, obj, step.roles)
        return user_has_role(user, *step.roles)

    def closed(self, obj: models.Model, step: "Move | Action") -> str:
        """Why `step` cannot be taken on `obj` now ("" when it can): its state, then its guard.
        An action in no particular state may be taken on another object (a duty report's
        upload, on its subject), which has no status to read."""
        if isinstance(step, Move):
            if step.source != (current := self.state(obj)):
                return self.refuse(current, step.target).message
        elif step.states and (current := self.state(obj)) not in step.states:
            return f"{self.noun}{self.label(current)}，不能{step.label}。"
        return step.guard(obj) if step.guard is not None else ""

    def refusal(self, obj, step: "Move | Action") -> str:
        if step.refusal:
            return step.refusal.format(obj=obj)
        who = "、".join(str(r.label) for r in step.roles)
        return f"只有{who}可以{step.label}。"

    def check(self, obj: models.Model, user, step: "Move | Action") -> None:
        """Raise the refusal when `user` may not take `step` on `obj` now: who, then when."""
        if not self.may(user, obj, step):
            raise ApplicationError(self.refusal(obj, step))
        if why := self.closed(obj, step):
            raise ApplicationError(why)

    def check_move(self, obj: models.Model, user, to: str) -> Move:
        """Fail fast, before a move's work: the move from `obj`'s state to `to`, or the
        refusal (state, then who, then the guard); transition() checks again under the lock."""
        move = self.require(self.state(obj), to)
        self.check(obj, user, move)
        return move

    def named(self, name: str) -> "Move | Action":
        found = next((s for s in (*self.moves, *self.actions) if s.name == name), None)
        if found is None:
            raise KeyError(name)
        return found

    def action_check(self, obj: models.Model, user, name: str) -> None:
        """Services of non-move actions call this first (under their lock)."""
        self.check(obj, user, self.named(name))

    def editable(self, obj: models.Model | None, user) -> bool:
        return obj is not None and not self._edit_refusal(obj, user)

    def edit_check(self, obj: models.Model, user) -> None:
        """Services that edit the entity call this first (under their lock)."""
        if why := self._edit_refusal(obj, user):
            raise ApplicationError(why)

    def _edit_refusal(self, obj, user) -> str:
        allowed = (
            self.access(user, obj, self.editors)
            if self.access is not None
            else user_has_role(user, *self.editors)
        )
        if not allowed:
            return self.edit_refusal.format(obj=obj) or "您不能修改。"
        current = self.state(obj)
        if current not in self.edit_states:
            return (
                self.edit_closed.format(obj=obj) or f"{self.noun}{self.label(current)}，不能修改。"
            )
        return self.edit_guard(obj) if self.edit_guard is not None else ""

    def moves_for(self, obj: models.Model, user) -> list[Move]:
        """The moves this user may make on this entity now (for its page's buttons)."""
        return [m for m in self.moves if self.may(user, obj, m) and not self.closed(obj, m)]

    def capabilities(self, obj: models.Model | None, user) -> dict[str, Any]:
        """What `user` may do on `obj` now, by name: each named move or action (the step
        itself, for its label and confirmation, or None), the edit right and the flags."""
        steps = [s for s in (*self.moves, *self.actions) if s.name]
        if obj is None:
            caps = {s.name: None for s in steps} | {name: False for name in self.flags}
            return caps | ({self.edit_name: False} if self.edit_name else {})
        caps: dict[str, Any] = {}
        for s in steps:  # two moves may share a name (报送, 重新报送): the open one counts
            if not caps.get(s.name):
                caps[s.name] = s if self.may(user, obj, s) and not self.closed(obj, s) else None
        caps |= {name: self.state(obj) in states for name, states in self.flags.items()}
        if self.edit_name:
            caps[self.edit_name] = self.editable(obj, user)
        return caps

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


_WORKFLOWS: dict[type[models.Model], Workflow] = {}


def workflow_of(obj: models.Model) -> Workflow:
    return _WORKFLOWS[type(obj)]


def capabilities(obj: models.Model | None, user, workflow: Workflow | None = None) -> dict:
    """What `user` may do now on `obj`, from its entity's table (see Workflow.capabilities).
    `workflow` names the table when `obj` may be None (a plan not yet opened)."""
    workflow = workflow or workflow_of(obj)
    return workflow.capabilities(obj, user)


def transition(
    *,
    obj: models.Model,
    to: str,
    workflow: Workflow,
    actor: Actor | None,
    summary: str = "",
    stamp: dict | None = None,
    campaign=None,
    subject=None,
    check_roles: bool = True,
    audit: bool | None = None,
) -> models.Model:
    """Move `obj` to `to`. Call inside the service's transaction; raises ApplicationError
    (nothing written) when the move is not allowed from the current state or by this actor,
    or its guard refuses. `audit=False` for an entity moved as part of another's move (a
    version decided with its plan), whose move is the one recorded; by default a move is
    recorded when its workflow is (`audited`: the system's jobs are not)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() runs inside the service's transaction")
    model = type(obj)
    current = (
        model.objects.select_for_update()
        .values_list(workflow.status_field, flat=True)
        .get(pk=obj.pk)
    )
    move = workflow.require(current, to)
    if check_roles and not workflow.may(actor, obj, move):
        raise ApplicationError(workflow.refusal(obj, move))
    if move.guard is not None and (why := move.guard(obj)):
        raise ApplicationError(why)
    setattr(obj, workflow.status_field, to)
    stamp = stamp or {}
    for name, value in stamp.items():
        setattr(obj, name, value)
    obj.save(update_fields=[workflow.status_field, *stamp])
    if workflow.audited if audit is None else audit:
        audit_log(
            actor=actor,
            action=f"{workflow.action}.{to}",
            summary=summary,
            target=obj,
            campaign=campaign,
            subject=subject,
        )
    return obj


def transition_batch(
    moves: Iterable[tuple[models.Model, str]],
    *,
    workflow: Workflow,
    actor: Actor | None = None,
    fields: Sequence[str] = (),
    check_roles: bool = True,
) -> list[models.Model]:
    """The batch form of transition(), for many rows moved at once (the outbox's batch of
    mails): `moves` are (row, target) with each row locked by the caller's
    select_for_update in this transaction, so its status is the one read under the lock.
    Each row's move is checked as transition() checks it (the move from its state, the
    actor unless check_roles=False, the guard), nothing is written when one is refused,
    and every row is saved in one UPDATE of its status and `fields` (set by the caller).
    No audit entry per row: the caller records the batch if a user asked for it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition_batch() runs inside the service's transaction")
    moves = list(moves)
    for obj, to in moves:
        move = workflow.require(workflow.state(obj), to)
        if check_roles and not workflow.may(actor, obj, move):
            raise ApplicationError(workflow.refusal(obj, move))
        if move.guard is not None and (why := move.guard(obj)):
            raise ApplicationError(why)
    for obj, to in moves:
        setattr(obj, workflow.status_field, to)
    rows = [obj for obj, _ in moves]
    if rows:
        type(rows[0]).objects.bulk_update(rows, [workflow.status_field, *fields])
    return rows
