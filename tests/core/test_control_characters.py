"""Control characters (C0 but TAB, LF, CR; DEL; NUL) never reach the database: a login
form says so next to the field, anything else gets a Chinese 400 page, nothing is written.
PostgreSQL would refuse a NUL with a 500."""

import pytest

from core.errors import ApplicationError
from core.models import LoginLockout
from subjects.models import Unit
from surveys.models import RespondentCode, Response, SealedResponse
from surveys.services import response_submit
from tests.factories import PASSWORD, UserFactory
from tests.surveys.test_code_throttle import survey  # noqa: F401  (fixture)
from tests.surveys.test_surveys import post

pytestmark = pytest.mark.django_db

REFUSED = "提交的内容含有无法识别的控制字符，请删除后重试。"


@pytest.fixture(autouse=True)
def small_batches(settings):
    settings.QUESTIONNAIRE_BATCH_SIZE = 1


@pytest.mark.parametrize("junk", ["\x00", "\x1b", "\x7f"])
def test_a_questionnaire_answer_with_a_control_character_is_refused(client, survey, junk):  # noqa: F811
    """The page comes back with the answers, minus the characters nobody could find to
    delete, and nothing is used or stored; sending it again works."""
    q, codes, answers = survey
    text = q.questions.filter(kind="text").first()
    data = {"code": codes[0].code[:4] + junk + codes[0].code[4:], **answers}
    data[f"q{text.pk}"] = "希望加快审批" + junk + "进度"
    response = post(client, f"/q/{q.public_token}/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "含有无法识别的控制字符" in page
    assert f'value="{codes[0].code}"' in page and junk not in page
    assert "希望加快审批进度" in page
    assert not RespondentCode.objects.filter(used=True).exists()
    assert not Response.objects.exists() and not SealedResponse.objects.exists()

    # The refusal counted nothing against the code: sending the cleaned page works.
    again = {**data, "code": codes[0].code, f"q{text.pk}": "希望加快审批进度"}
    assert post(client, f"/q/{q.public_token}/", again).status_code == 302


def test_a_questionnaire_link_with_a_control_character_gets_the_400_page(client, survey):  # noqa: F811
    q, *_ = survey
    response = client.get(f"/q/{q.public_token}/", {"c": "AB\x00CD"})
    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert client.get("/q/abc%00def/").status_code == 400


def test_the_service_refuses_them_too(survey):  # noqa: F811
    q, codes, answers = survey
    values = {int(k[1:]): v for k, v in answers.items() if k.startswith("q")}
    with pytest.raises(ApplicationError, match="控制字符"):
        response_submit(questionnaire=q, answers=values, code=codes[0].code + "\x00")
    assert not RespondentCode.objects.filter(used=True).exists()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
@pytest.mark.parametrize("field", ["username", "password"])
def test_a_login_with_a_control_character_says_so_on_the_login_page(client, url, field):
    UserFactory(username="weiyuan", is_staff=True)
    data = {"username": "weiyuan", "password": PASSWORD, "next": "/admin/"}
    data[field] += "\x00"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "控制字符" in page
    assert "_auth_user_id" not in client.session
    assert not LoginLockout.objects.exists()


def test_any_other_parameter_gets_a_chinese_400_page_and_nothing_is_written(client, office):
    client.force_login(office)
    before = Unit.objects.count()
    response = client.post(
        "/admin/subjects/unit/add/", {"name": "县\x00发改委", "organ_type": "government"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in page and "alert-danger" in page and "述职评议工作系统" in page
    assert Unit.objects.count() == before

    # A query string too (the admin's search would hand it to PostgreSQL) ...
    response = client.get("/admin/subjects/unit/", {"q": "发改\x01委"})
    assert response.status_code == 400 and REFUSED in response.content.decode()
    # ... and a parameter's name.
    assert client.get("/my-work/", {"x\x00": "1"}).status_code == 400


def test_tab_newline_and_carriage_return_are_ordinary_text(client, office):
    client.force_login(office)
    response = client.get("/admin/subjects/unit/", {"q": "发改\t委\r\n"})
    assert response.status_code == 200


def test_the_form_mixin_covers_every_text_field_even_those_added_later():
    from django import forms

    from core.forms import CleanTextMixin

    class Sample(CleanTextMixin, forms.Form):
        title = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["note"] = forms.CharField(required=False)

    form = Sample({"title": "第一\x1f行", "note": "x\x7f"})
    assert not form.is_valid()
    assert "控制字符" in str(form.errors["title"]) and "控制字符" in str(form.errors["note"])
    assert Sample({"title": "第一行\r\n第二行\t完", "note": ""}).is_valid()
