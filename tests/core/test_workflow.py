"""The one helper every state change goes through: it re-reads the state under a lock,
checks the move and the actor, and writes the audit entry; nothing else assigns a status."""

import pytest
from django.db import transaction

from ballots.models import BallotStatus
from ballots.workflows import BALLOT_WORKFLOW
from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from core.workflow import transition
from tests.factories import BallotFactory, MemberFactory, open_ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot(office):
    MemberFactory()  # someone to vote, so that it can open
    return BallotFactory(actor=office, name="测评")


def test_a_stale_instance_cannot_move_twice(office, ballot):
    stale = type(ballot).objects.get(pk=ballot.pk)
    open_ballot(actor=office, ballot=ballot)
    with pytest.raises(ApplicationError, match="测评投票中，不能开始投票"), transaction.atomic():
        transition(
            obj=stale, to=BallotStatus.OPEN, workflow=BALLOT_WORKFLOW, actor=office, summary="x"
        )
    assert AuditEntry.objects.filter(action="ballot.open").count() == 1


def test_the_actor_is_checked(ballot, make_user):
    member = make_user(Role.MEMBER)
    with (
        pytest.raises(ApplicationError, match="只有评议办公室工作人员可以开始投票"),
        transaction.atomic(),
    ):
        transition(
            obj=ballot, to=BallotStatus.OPEN, workflow=BALLOT_WORKFLOW, actor=member, summary="x"
        )
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT


def test_pages_ask_the_workflow_for_their_buttons(office, ballot, make_user):
    assert [m.label for m in BALLOT_WORKFLOW.moves_for(ballot, office)] == ["开始投票"]
    assert BALLOT_WORKFLOW.moves_for(ballot, make_user(Role.MEMBER)) == []
