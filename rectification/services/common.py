"""What every rectification service shares: the one move helper and the audit line."""

from core.actors import Actor
from core.audit import audit_log
from core.workflow import transition


def _move(obj, *, to: str, workflow, actor: Actor, summary: str, subject, stamp=None):
    """Every status change of an opinion, a plan or a report: transition() checks the move,
    who may make it for this subject (the workflow's access rule) and its guard."""
    return transition(
        obj=obj,
        to=to,
        workflow=workflow,
        actor=actor,
        summary=summary,
        stamp=stamp,
        campaign=subject.campaign,
        subject=subject,
    )


def _log(actor: Actor, action: str, summary: str, subject, target=None) -> None:
    audit_log(
        actor=actor,
        action=action,
        summary=summary,
        target=target,
        campaign=subject.campaign,
        subject=subject,
    )
