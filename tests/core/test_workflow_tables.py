"""The generic pieces of the workflow tables (core.workflow, core.object_views), on a toy
table over the ballot model: capabilities by name, the access rule and guard checked by
transition() under the lock, edit rights, and the one move view's refusals (400, the
page again, nothing written) and success (the service runs, the message, the redirect)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from ballots.models import Ballot, BallotStatus
from core import audit
from core.errors import ApplicationError
from core.forms import ReasonForm
from core.models import AuditEntry
from core.object_views import move_view
from core.roles import Role, user_has_role
from core.workflow import Action, Move, Workflow, transition
from tests.factories import BallotFactory

pytestmark = pytest.mark.django_db


def _on_hold(ballot) -> str:
    return "暂缓的测评不能开始。" if "暂缓" in ballot.name else ""


def _toy_workflow() -> Workflow:
    return Workflow(
        noun="示例测评",
        action="toy_ballot",
        # The access rule: office staff, and only on ballots not named for someone else.
        access=lambda user, obj, roles: user_has_role(user, *roles) and "他人" not in obj.name,
        moves=(
            Move(
                BallotStatus.DRAFT,
                BallotStatus.OPEN,
                "开始",
                name="open_toy",
                guard=_on_hold,
                refusal="只有本办公室可以开始{obj.name}。",
                service="tests.core.test_workflow_tables.toy_open",
                form=lambda data, files, obj: ReasonForm(data),
                done="{obj.name}已开始。",
            ),
        ),
        actions=(Action(name="rename_toy", label="改名", states=(BallotStatus.DRAFT,)),),
        labels=dict(BallotStatus.choices),
        edit_name="edit_toy",
        edit_states=(BallotStatus.DRAFT,),
        editors=(Role.OFFICE,),
        flags={"toy_open": (BallotStatus.OPEN,)},
    )


TOY: Workflow  # made per test by the `toy` fixture, its audit codes removed after


@pytest.fixture(autouse=True)
def toy():
    """The toy table registers audit codes; they are removed again, so the real registry
    (the 操作记录 filter's areas) is left as it was."""
    global TOY
    saved = dict(audit._LABELS)
    TOY = _toy_workflow()
    yield TOY
    audit._LABELS.clear()
    audit._LABELS.update(saved)


@transaction.atomic
def toy_open(*, actor, ballot, reason):
    return transition(obj=ballot, to=BallotStatus.OPEN, workflow=TOY, actor=actor, summary=reason)


@pytest.fixture
def ballot(office):
    return BallotFactory(actor=office, name="测评")


def test_capabilities_name_what_may_be_done_now(ballot, office, make_user):
    caps = TOY.capabilities(ballot, office)
    assert caps["open_toy"].label == "开始" and caps["rename_toy"].label == "改名"
    assert caps["edit_toy"] is True and caps["toy_open"] is False
    nothing = {"open_toy": None, "rename_toy": None, "edit_toy": False, "toy_open": False}
    assert TOY.capabilities(ballot, make_user(Role.MEMBER)) == nothing
    assert TOY.capabilities(None, office) == nothing
    Ballot.objects.filter(pk=ballot.pk).update(name="暂缓测评")
    ballot.refresh_from_db()
    assert TOY.capabilities(ballot, office)["open_toy"] is None  # the guard closes it


def test_transition_checks_the_access_rule_and_the_guard_and_writes_nothing(ballot, office):
    for name, message in (("他人的测评", "只有本办公室可以开始他人的测评。"), ("暂缓测评", "暂缓")):
        Ballot.objects.filter(pk=ballot.pk).update(name=name)
        ballot.refresh_from_db()
        with pytest.raises(ApplicationError, match=message):
            toy_open(actor=office, ballot=ballot, reason="x")
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.DRAFT
    assert not AuditEntry.objects.filter(action="toy_ballot.open").exists()


def test_a_dependent_move_can_leave_the_audit_to_its_parent(ballot, office):
    with transaction.atomic():
        transition(obj=ballot, to=BallotStatus.OPEN, workflow=TOY, actor=office, audit=False)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    assert not AuditEntry.objects.filter(action="toy_ballot.open").exists()
    with pytest.raises(ApplicationError, match="修改"):
        TOY.edit_check(ballot, office)


def _view(entity=lambda obj: (obj, {"ballot": obj})):
    def page(request, obj, *, status=200, **forms):
        return HttpResponse(f"page {sorted(forms)}", status=status)

    return move_view(
        workflow=TOY,
        lookup=lambda *, user, pk: Ballot.objects.get(pk=pk),
        page=page,
        detail="ballot_detail",
        entity=entity,
    )


def test_the_move_view_says_when_the_entity_has_not_started(ballot, office):
    view = _view(entity=lambda obj: (None, {}))
    response = view(request := _post(office, {"reason": "开会"}), pk=ballot.pk, to="open")
    assert response.status_code == 400
    assert [str(m) for m in get_messages(request)] == ["还没有示例测评，不能开始。"]


def _post(user, data):
    request = RequestFactory().post("/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_move_view_refuses_with_the_page_and_runs_the_service(ballot, office, make_user):
    view = _view()
    # An unknown move, a member refused by the access rule's roles, a missing reason: each
    # shows the page again with 400 and the message, and the ballot stays a draft.
    for user, to, data, message in (
        (office, "bogus", {"reason": "开会"}, "未知操作。"),
        (make_user(Role.MEMBER), "open", {"reason": "开会"}, "只有本办公室可以开始测评。"),
        (office, "open", {"reason": ""}, "必须写明理由"),
    ):
        response = view(request := _post(user, data), pk=ballot.pk, to=to)
        assert response.status_code == 400
        assert message in " ".join(str(m) for m in get_messages(request))
    assert "['form']" in response.content.decode()  # the typed form goes back to the page
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT
    response = view(request := _post(office, {"reason": "开会"}), pk=ballot.pk, to="open")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(request)] == ["测评已开始。"]
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    assert AuditEntry.objects.get(action="toy_ballot.open").summary == "开会"
