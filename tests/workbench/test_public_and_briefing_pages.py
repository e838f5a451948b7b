import pytest

from ballots.models import BallotStatus
from ballots.services import ballot_publish
from core.forms import version_of
from core.models import DocumentStatus
from core.roles import Role
from reviews.services import campaign_update
from tests.factories import BallotFactory, BriefingFactory, CampaignFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(office):
    campaign = CampaignFactory(
        actor=office, name="2017年度县人大常委会述职评议", composition_size=2
    )
    SubjectFactory(campaign=campaign, person_name="金立新")
    ballot = BallotFactory(
        campaign=campaign, actor=office, status=BallotStatus.CLOSED, votes=["不满意"] * 2
    )
    return campaign, ballot


def test_public_page_shows_only_published(client, closed, office):
    campaign, ballot = closed
    assert "2017年度" not in client.get("/public/").content.decode()
    assert client.get(f"/public/campaigns/{campaign.pk}/").status_code == 404
    ballot_publish(actor=office, ballot=ballot)
    assert "2017年度县人大常委会述职评议" in client.get("/public/").content.decode()
    page = client.get(f"/public/campaigns/{campaign.pk}/").content.decode()
    assert "金立新" in page and "不满意" in page and "登录" not in page


def test_briefing_pages_and_pdf_access(client, office, make_user, closed):
    campaign, _ = closed
    client.force_login(office)
    response = client.post(
        f"/campaigns/{campaign.pk}/briefings/",
        {
            "number": "",
            "title": "第一期",
            "issuing_office": "办公室",
            "issued_on": "2017-08-16",
            "articles": "正文",
            "editor": "甲",
            "reviewer": "乙",
            "issuer": "丙",
            "distribution": "存档",
            "blocks": ["stages"],
        },
    )
    assert response.status_code == 302
    briefing = campaign.briefings.get()
    assert briefing.number == 1 and briefing.blocks == ["stages"]
    assert client.get(f"/briefings/{briefing.pk}/pdf/").status_code == 404  # not rendered
    posted = {
        "version": version_of(briefing),
        "title": "第一期",
        "issuing_office": "办公室",
        "issued_on": "2017-08-16",
        "articles": "正文",
        "editor": "甲",
        "reviewer": "乙",
        "issuer": "丙",
        "distribution": "存档",
        "blocks": ["stages"],
    }
    response = client.post(f"/briefings/{briefing.pk}/render/", posted, follow=True)
    assert briefing.document.status in (DocumentStatus.QUEUED, DocumentStatus.DONE)
    client.force_login(make_user(Role.SUBJECT))
    assert client.get(f"/briefings/{briefing.pk}/pdf/").status_code == 403
    assert client.get(f"/briefings/{briefing.pk}/").status_code == 403


def test_rendering_through_the_eager_task_stores_the_pdf(
    client, office, make_user, closed, django_capture_on_commit_callbacks
):
    from workbench.services.briefings import briefing_render_request

    campaign, _ = closed
    briefing = BriefingFactory(campaign=campaign, actor=office, blocks=[])
    with django_capture_on_commit_callbacks(execute=True):
        briefing_render_request(actor=office, briefing=briefing)
    document = briefing.document
    assert document.status == DocumentStatus.DONE and document.pdf.read(5) == b"%PDF-"
    document.pdf.close()
    # The leading group reads it, under the name; it cannot render it, not even
    # through the generic document page.
    client.force_login(make_user(Role.LEADING_GROUP))
    response = client.get(f"/briefings/{briefing.pk}/pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert (
        "%E6%83%85%E5%86%B5%E7%AE%80%E6%8A%A5%E7%AC%AC1%E6%9C%9F.pdf"
        in (response["Content-Disposition"])
    )  # …情况简报第1期.pdf
    assert client.get(f"/documents/briefing/{briefing.pk}/").status_code == 200
    page = client.post(f"/documents/briefing/{briefing.pk}/", follow=True).content.decode()
    assert "只有评议办公室" in page
    assert briefing.document.requested_by == office


def test_practice_campaign_never_reaches_public_page(client, closed, office):
    """A campaign marked 试运行 stays off /public/ even with a published review ballot."""
    campaign, ballot = closed
    campaign_update(actor=office, campaign=campaign, is_practice=True)
    ballot_publish(actor=office, ballot=ballot)
    assert "2017年度" not in client.get("/public/").content.decode()
    assert client.get(f"/public/campaigns/{campaign.pk}/").status_code == 404
    campaign_update(actor=office, campaign=campaign, is_practice=False)
    assert "2017年度" in client.get("/public/").content.decode()
