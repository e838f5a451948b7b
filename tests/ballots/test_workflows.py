"""The ballot's table is whole: every move and action runs a service that exists and takes
the actor, writes audit actions with Chinese names, and the capability names are unique;
and the table answers what the control page shows in each state."""

import inspect

import pytest
from django.utils.module_loading import import_string

from ballots.models import BallotStatus
from ballots.workflows import BALLOT_WORKFLOW, ballot_capabilities
from core.audit import audit_action_known
from core.roles import Role
from tests.factories import BallotFactory, ballot_advance

STEPS = [*BALLOT_WORKFLOW.moves, *BALLOT_WORKFLOW.actions]


def test_every_step_runs_a_service_that_takes_the_actor():
    for step in STEPS:
        service = import_string(step.service)
        assert "actor" in inspect.signature(service).parameters, step.service


def test_every_step_writes_audit_actions_with_chinese_names():
    for step in STEPS:
        codes = (f"ballot.{step.target}",) if hasattr(step, "target") else step.audit
        assert codes and all(audit_action_known(str(c)) for c in codes), step


def test_capability_names_are_unique():
    names = [s.name for s in STEPS if s.name]
    flags = [*BALLOT_WORKFLOW.flags, BALLOT_WORKFLOW.edit_name]
    assert len(names) == len(set(names)) and not set(flags) & set(names)


@pytest.mark.django_db
def test_what_the_office_may_do_in_each_state(office, make_user):
    ballot = BallotFactory(actor=office)
    member = make_user(Role.MEMBER)

    def allowed(user=office):
        caps = ballot_capabilities(ballot, user)
        return {name for name, value in caps.items() if value}

    draft = allowed()
    assert {"open", "set_tellers", "issue_codes", "enter_paper", "edit_ballot"} <= draft
    assert not {"close", "publish", "remind", "new_round", "discard"} & draft
    assert allowed(member) == {"is_draft", "shows_vote_link"}  # facts, no step
    ballot = ballot_advance(ballot, to=BallotStatus.OPEN)
    assert {"close", "remind", "voting", "enter_paper"} <= allowed()
    assert not {"open", "set_tellers", "edit_ballot", "discard"} & allowed()
    ballot = ballot_advance(ballot, to=BallotStatus.CLOSED, votes=["满意"])
    assert {"preview", "publish", "counted", "sealed"} <= allowed()
    assert not {"close", "enter_paper", "issue_codes", "remind"} & allowed()
    ballot = ballot_advance(ballot, to=BallotStatus.PUBLISHED)
    assert {"published", "counted"} <= allowed() and "publish" not in allowed()
