"""录入纸质票: two office users type a voter group's counting form; only agreeing entries
count, and none after the voting ended."""

import pytest

from ballots.models import BallotStatus, PaperEntry, PaperTally
from tests.factories import ballot_advance, office_user
from tests.forms import browser_data

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db


def _data(world, entry=1, issued=3, returned=3) -> dict:
    """What the page's counting form sends for the deputies, as typed (the page is read as
    the office, before anything is posted)."""
    a, _ = world.subjects
    every = {f"c_{i.subject_id}_0": "3" for i in world.ballot.items.all()}
    return _FORM[world.ballot.pk] | every | {
        "voter_group": str(world.ballot.voter_groups.get(is_committee=False).pk),
        "entry": str(entry), "issued": str(issued), "returned": str(returned),
        f"c_{a.pk}_0": "2", f"c_{a.pk}_2": "1",
    }  # fmt: skip


_FORM: dict = {}


@pytest.fixture(autouse=True)
def _page_form(client, world):
    """The counting form as the control page draws it, read once while the ballot is a draft."""
    client.force_login(world.office)
    page = url(world.ballot, "")
    _FORM[world.ballot.pk] = browser_data(client, page, url(world.ballot, "paper/"))
    client.logout()


def test_two_agreeing_entries_count(client, world):
    client.force_login(world.office)
    response = client.post(url(world.ballot, "paper/"), _data(world), follow=True)
    assert "第一次录入已保存，请另一名工作人员进行第二次录入核对。" in response.content.decode()
    assert not PaperTally.objects.filter(ballot=world.ballot).exists()
    client.force_login(office_user())
    response = client.post(url(world.ballot, "paper/"), _data(world, entry=2), follow=True)
    assert "两次录入一致，已计入测评。" in response.content.decode()
    assert PaperTally.objects.filter(ballot=world.ballot).get().returned == 3
    assert audited(world.ballot, "ballot.paper") == 2


def test_other_roles_are_refused(client, world):
    others_refused(client, world, url(world.ballot, "paper/"), _data(world))


def test_a_wrong_sum_is_refused_and_shown_as_typed(client, world):
    a, _ = world.subjects
    response = refused(
        client, world.office, url(world.ballot, "paper/"), _data(world, issued=2, returned=3),
        "收回票数 3 多于发出票数 2", ballot=world.ballot,
    )  # fmt: skip
    page = response.content.decode()
    assert (
        'name="issued" type="number" min="0" class="form-control form-control-sm" value="2"' in page
    )
    assert f'name="c_{a.pk}_2" type="number" min="0" value="1"' in page


def test_the_second_entry_is_someone_elses(client, world):
    client.force_login(world.office)
    client.post(url(world.ballot, "paper/"), _data(world))
    refused(
        client, world.office, url(world.ballot, "paper/"), _data(world, entry=2),
        "须由另一名工作人员完成", ballot=world.ballot,
    )  # fmt: skip
    assert PaperEntry.objects.filter(ballot=world.ballot).count() == 1


def test_not_after_the_voting_ended(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意", "满意"])
    refused(
        client, world.office, url(ballot, "paper/"), _data(world),
        "测评已结束，不能再录入纸质票。", ballot=ballot,
    )  # fmt: skip
