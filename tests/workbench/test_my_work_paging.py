"""我的工作 and the office's overview with many open campaigns: the campaigns come ten a
page, and the office's 待我办理 shows its 20 most pressing to-dos, all of them on asking."""

import re

import pytest

from tests.factories import CampaignFactory
from workbench.views.dashboard import CAMPAIGNS_PER_PAGE as OVERVIEW_PER_PAGE
from workbench.views.my_work import CAMPAIGNS_PER_PAGE, ITEMS_SHOWN

pytestmark = pytest.mark.django_db


def _cards(page: str) -> int:
    return page.count('data-testid="stages"')


def _items(page: str) -> int:
    return page.count('data-testid="work-item"')


@pytest.fixture
def campaigns(office):
    return [CampaignFactory(actor=office) for _ in range(CAMPAIGNS_PER_PAGE + 2)]


def test_the_office_sees_the_most_pressing_to_dos_and_a_page_of_campaigns(
    client, office, campaigns
):
    client.force_login(office)
    page = client.get("/my-work/").content.decode()
    total = int(re.search(r"共 (\d+) 项，以上是期限最近的", page).group(1))
    assert total > ITEMS_SHOWN
    assert _items(page) == ITEMS_SHOWN
    assert f"显示全部 {total} 项" in page
    assert _cards(page) == CAMPAIGNS_PER_PAGE
    assert f"共 {len(campaigns)} 次，第 1—{CAMPAIGNS_PER_PAGE} 次" in page
    assert "page=2" in page

    everything = client.get("/my-work/", {"all": "1"}).content.decode()
    assert _items(everything) == total and "显示全部" not in everything

    second = client.get("/my-work/", {"page": "2"}).content.decode()
    assert _cards(second) == len(campaigns) - CAMPAIGNS_PER_PAGE
    # Every campaign is on one of the two pages, each once.
    for campaign in campaigns:
        assert (page + second).count(f'href="/campaigns/{campaign.pk}/"') == 1
    # A page past the end shows the last one.
    assert _cards(client.get("/my-work/", {"page": "9"}).content.decode()) == 2


def test_members_page_the_campaigns_too_and_the_overview_pages(
    client, office, member_user, campaigns
):
    client.force_login(member_user)
    page = client.get("/my-work/").content.decode()
    assert _cards(page) == CAMPAIGNS_PER_PAGE and "page=2" in page
    assert "显示全部" not in page

    client.force_login(office)
    overview = client.get("/office/").content.decode()
    assert _cards(overview) == OVERVIEW_PER_PAGE
    assert f"共 {len(campaigns)} 次评议活动，以上是第 1—{OVERVIEW_PER_PAGE} 次" in overview
    second = client.get("/office/", {"page": "2"}).content.decode()
    assert _cards(second) == len(campaigns) - OVERVIEW_PER_PAGE
