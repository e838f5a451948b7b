"""The pages that grew with a city's data (benchmarks/pages.py) stay within the goal's 60
queries and show a page of rows, not all of them: built with load_demo --scale city's
loader at a small size (7 campaigns of 60 subjects, one in each stage)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import Campaign, Member
from subjects.models import Subject
from workbench.demo_city import CITY_NAME, CitySize, city_load

pytestmark = pytest.mark.django_db

SIZE = CitySize(campaigns=7, subjects_each=60, members=40, composition=30, sheets=1)
QUERY_GOAL = 60


def _get(client, username: str, url: str, data=None):
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, url
    assert len(queries) <= QUERY_GOAL, f"{url}: {len(queries)} queries"
    return response.content.decode()


def test_city_pages_within_the_query_goal_and_paged(client):
    county = city_load(SIZE, log=lambda line: None)
    rectifying = Campaign.objects.filter(name__contains=CITY_NAME, stage="rectification").first()

    # The office's overview: each campaign's gate shows its first problems and a count.
    page = _get(client, "office", "/my-work/")
    assert "……另有" in page
    assert (
        page.count("的整改尚未完成") <= 10 * Campaign.objects.filter(stage="rectification").count()
    )
    _get(client, "office", "/office/")

    # The ballot page offers members and staff as tellers, not the subjects' logins.
    page = _get(client, "office", f"/campaigns/{rectifying.pk}/ballots/")
    member = Member.objects.filter(user__username__startswith="cm").first().user
    subject_login = Subject.objects.filter(user__isnull=False).first().user
    assert f'<option value="{member.pk}">' in page
    assert f'<option value="{subject_login.pk}">' not in page

    # The liaison committee's subjects: 50 a page, searchable.
    liaison_subjects = Subject.objects.filter(liaison_committee__users__username="liaison")
    assert liaison_subjects.count() > 50
    page = _get(client, "liaison", "/liaison/")
    assert f"共 {liaison_subjects.count()} 名" in page and "下一页" in page
    name = liaison_subjects.filter(campaign=rectifying).last().person_name
    found = liaison_subjects.filter(person_name__contains=name).count()
    page = _get(client, "liaison", "/liaison/", {"q": name})
    assert f"共 {found} 名" in page and name in page and "下一页" not in page
    page = _get(client, "liaison", "/my-work/")
    assert "以上是前 40 名" in page

    for username, url in [
        ("office", f"/campaigns/{county.pk}/"),
        ("office", f"/campaigns/{rectifying.pk}/rectification/"),
        ("office", "/admin/subjects/subject/"),
        ("director", "/my-work/"),
        ("member", "/my-work/"),
        ("subject", "/my-work/"),
    ]:
        _get(client, username, url)
