"""What every rectification service shares: the one move helper and the audit line."""

from core.audit import audit_log
from core.errors import ApplicationError
from core.workflow import transition

from ..selectors import rectification_acts_for


def _move(obj, *, to: str, workflow, actor, summary: str, subject, stamp=None):
    """Every status change of an opinion, a plan or a report: the workflow's move table
    decides which moves exist, `rectification_acts_for` who may make them for this subject."""
    move = workflow.require(getattr(obj, workflow.status_field), to)
    if not rectification_acts_for(actor, subject, move.roles):
        raise ApplicationError(f"您不能{move.label}。")
    return transition(
        obj=obj,
        to=to,
        workflow=workflow,
        actor=actor,
        summary=summary,
        stamp=stamp,
        campaign=subject.campaign,
        subject=subject,
        check_roles=False,
    )


def _log(actor, action: str, summary: str, subject, target=None) -> None:
    audit_log(
        actor=actor,
        action=action,
        summary=summary,
        target=target,
        campaign=subject.campaign,
        subject=subject,
    )
