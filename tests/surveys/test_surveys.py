import pytest
from django.test import TestCase

from core.errors import ApplicationError
from core.roles import Role
from surveys.models import (
    AccessMode,
    Answer,
    Deputy,
    Finding,
    QuestionKind,
    Questionnaire,
    RespondentCode,
    Response,
    SealedResponse,
)
from surveys.selectors import questionnaire_tallies
from surveys.services import (
    codes_issue_sheets,
    codes_issue_to_deputies,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
    response_submit,
    responses_flush,
)
from tests.factories import (
    CampaignFactory,
    SubjectFactory,
    UserFactory,
    make_group,
    xlsx_download,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def batch_of_one(settings):
    """Most tests here look at one response at a time; the anonymity tests set their own k."""
    settings.QUESTIONNAIRE_BATCH_SIZE = 1


def submit(**kwargs):
    """Submit and run what happens after the commit, as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return response_submit(**kwargs)


def stored(q) -> int:
    """Responses kept, written out or still sealed waiting for their batch."""
    return q.responses.count() + SealedResponse.objects.filter(questionnaire=q).count()


def post(client, url, data, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, **extra)


def form(q, answers):
    """What the phone page posts: ratings as option indices, text as typed."""
    data = {}
    for question in q.questions.all():
        value = answers.get(question.pk, "")
        if question.kind == QuestionKind.RATING and value in q.rating_options:
            value = str(q.rating_options.index(value))
        data[f"q{question.pk}"] = value
    return data


@pytest.fixture
def survey(office):
    campaign = CampaignFactory(actor=office)
    a = SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    b = SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    q = questionnaire_create(
        actor=office, campaign=campaign, title="征求意见", access_mode=AccessMode.PERSONAL
    )
    deputies = [Deputy.objects.create(name=f"代表{i}", delegation="城关镇代表组") for i in range(5)]
    codes = codes_issue_to_deputies(actor=office, questionnaire=q, deputies=deputies)
    questionnaire_open(actor=office, questionnaire=q)
    return q, a, b, codes


def _answers(q, a_option, b_option, a_text="", general=""):
    answers = {}
    for question in q.questions.select_related("subject"):
        if question.kind == QuestionKind.RATING:
            answers[question.pk] = (
                a_option if question.subject.person_name == "金立新" else b_option
            )
        elif question.subject and question.subject.person_name == "金立新":
            answers[question.pk] = a_text
        elif question.subject is None:
            answers[question.pk] = general
    return answers


def test_questions_built_from_subjects_and_campaign_options(survey):
    q, a, b, codes = survey
    kinds = list(q.questions.values_list("kind", "subject__person_name"))
    assert kinds[:4] == [
        ("rating", "金立新"),
        ("text", "金立新"),
        ("rating", "唐晓云"),
        ("text", "唐晓云"),
    ]
    assert kinds[-1] == ("text", None)
    assert q.rating_options == ["满意", "基本满意", "不满意"]
    assert len(codes) == 5 and len({c.code for c in codes}) == 5


def test_code_used_once_forged_refused(survey):
    q, a, b, codes = survey
    submit(questionnaire=q, answers=_answers(q, "满意", "不满意"), code=codes[0].code.lower())
    with pytest.raises(ApplicationError, match="已经使用过"):
        response_submit(questionnaire=q, answers=_answers(q, "满意", "满意"), code=codes[0].code)
    with pytest.raises(ApplicationError, match="答题码不正确"):
        response_submit(questionnaire=q, answers=_answers(q, "满意", "满意"), code="ZZZZZZZZ")
    assert stored(q) == 1


def test_incomplete_or_forged_answers_refused_and_code_kept(survey):
    q, a, b, codes = survey
    answers = _answers(q, "满意", "")
    with pytest.raises(ApplicationError, match="还有 1 题未作答：唐晓云"):
        response_submit(questionnaire=q, answers=answers, code=codes[1].code)
    with pytest.raises(ApplicationError, match="选项无效"):
        response_submit(
            questionnaire=q, answers=_answers(q, "非常满意", "满意"), code=codes[1].code
        )
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not RespondentCode.objects.get(pk=codes[1].pk).used
    response_submit(questionnaire=q, answers=_answers(q, "满意", "满意"), code=codes[1].code)


def test_closed_questionnaire_refuses(survey, office):
    q, a, b, codes = survey
    questionnaire_close(actor=office, questionnaire=q)
    with pytest.raises(ApplicationError, match="不在收集期"):
        response_submit(questionnaire=q, answers=_answers(q, "满意", "满意"), code=codes[2].code)


def test_tallies_and_excel_match_known_responses(survey, client, office):
    q, a, b, codes = survey
    for code, (x, y) in zip(
        codes,
        [("满意", "不满意"), ("满意", "基本满意"), ("基本满意", "不满意"), ("不满意", "不满意")],
        strict=False,
    ):
        submit(questionnaire=q, answers=_answers(q, x, y, a_text="窗口服务要改进"), code=code.code)
    questionnaire_close(actor=office, questionnaire=q)  # writes the responses held back
    tallies = {t.subject.person_name: t for t in questionnaire_tallies(q)}
    assert [c for _, c, _ in tallies["金立新"].counts] == [2, 1, 1]
    assert [c for _, c, _ in tallies["唐晓云"].counts] == [0, 1, 3]
    assert tallies["金立新"].satisfied_rate == 75.0 and tallies["唐晓云"].satisfied_rate == 25.0
    client.force_login(office)
    response = client.get(f"/questionnaires/{q.pk}/results.xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = xlsx_download(response)
    assert workbook.sheetnames == ["满意度统计", "意见建议"]
    sheet, texts = workbook.worksheets
    assert sheet["A1"].value == q.title
    assert [c.value for c in sheet[2]] == [
        "序号",
        "评议对象",
        "单位及职务",
        *q.rating_options,
        "有效答卷",
        f"{'+'.join(q.rating_options[:-1])}率（%）",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == [1, "金立新", f"{a.unit.name}{a.post}", 2, 1, 1, 4, 75.0]
    assert rows[1] == [2, "唐晓云", f"{b.unit.name}{b.post}", 0, 1, 3, 4, 25.0]
    assert [c.value for c in texts[1]] == ["题目", "意见建议"]
    text_question = q.questions.get(kind=QuestionKind.TEXT, subject=a).text
    assert [r for r in texts.iter_rows(min_row=2, values_only=True)] == [
        (text_question, "窗口服务要改进")
    ] * 4
    page = client.get(f"/questionnaires/{q.pk}/results/").content.decode()
    assert "75.0%" in page


def test_responses_carry_nothing_linking_to_a_code_or_person():
    response_fields = {f.name for f in Response._meta.get_fields()}
    assert response_fields == {"id", "questionnaire", "answers"}
    assert {f.column for f in SealedResponse._meta.concrete_fields} == {
        "id",
        "questionnaire_id",
        "ciphertext",
    }
    assert {f.name for f in Answer._meta.get_fields()} == {
        "id",
        "response",
        "question",
        "option",
        "text",
        "findings",
    }
    code_fields = {f.name for f in RespondentCode._meta.concrete_fields}
    assert "used_at" not in code_fields and not any(
        f.is_relation and f.related_model is Response for f in RespondentCode._meta.get_fields()
    )


def test_sheets_and_device_modes(office, client):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign, person_name="金立新")
    sheets = questionnaire_create(
        actor=office, campaign=campaign, title="纸质", access_mode=AccessMode.SHEET
    )
    with pytest.raises(ApplicationError, match="先发放答题码"):
        questionnaire_open(actor=office, questionnaire=sheets)
    with pytest.raises(ApplicationError, match="1 至 2000"):
        codes_issue_sheets(actor=office, questionnaire=sheets, count=0)
    codes = codes_issue_sheets(actor=office, questionnaire=sheets, count=30)
    assert codes[0].label == "第 1 号问卷" and len(codes) == 30

    device = questionnaire_create(
        actor=office, campaign=campaign, title="链接", access_mode=AccessMode.DEVICE
    )
    questionnaire_open(actor=office, questionnaire=device)
    url = f"/q/{device.public_token}/"
    page = client.get(url)
    assert "shuzhi_survey_device" in page.cookies
    rating = device.questions.get(kind=QuestionKind.RATING)
    assert client.post(url, {f"q{rating.pk}": "满意"}).status_code == 400  # labels are not posted
    assert post(client, url, {f"q{rating.pk}": "0"}).status_code == 302
    again = client.post(url, {f"q{rating.pk}": "0"})
    assert again.status_code == 400 and "这台设备已经提交过" in again.content.decode()
    assert stored(device) == 1


class TestRespondentPages:
    def test_phone_page_shows_only_the_questionnaire(self, client, survey):
        q, a, b, codes = survey
        body = client.get(f"/q/{q.public_token}/?c={codes[0].code}").content.decode()
        assert "征求意见" in body and "金立新" in body and codes[0].code in body
        assert "我的工作" not in body and "办公室管理" not in body and 'name="viewport"' in body

    def test_incomplete_submission_refused_nothing_saved(self, client, survey):
        q, a, b, codes = survey
        answers = form(q, _answers(q, "满意", ""))
        response = client.post(f"/q/{q.public_token}/", {"code": codes[0].code, **answers})
        assert response.status_code == 400
        assert "未作答" in response.content.decode()
        assert not Response.objects.exists() and not RespondentCode.objects.get(pk=codes[0].pk).used
        # The unanswered question is marked; the answered one is not.
        page = response.content.decode()
        assert page.count('class="question missing"') == 1
        marked = page[page.index('class="question missing"') :]
        assert b.person_name in marked[: marked.index("</legend>")]

    def test_reused_code_over_http(self, client, survey):
        q, a, b, codes = survey
        answers = form(q, _answers(q, "满意", "满意"))
        assert (
            post(client, f"/q/{q.public_token}/", {"code": codes[0].code, **answers}).status_code
            == 302
        )
        response = client.post(f"/q/{q.public_token}/", {"code": codes[0].code, **answers})
        assert response.status_code == 400 and "已经使用过" in response.content.decode()

    def test_unknown_token_and_draft(self, client, office):
        assert client.get("/q/nonexistent-token/").status_code == 404
        campaign = CampaignFactory(actor=office)
        SubjectFactory(campaign=campaign)
        q = questionnaire_create(
            actor=office, campaign=campaign, title="草稿", access_mode=AccessMode.DEVICE
        )
        assert client.get(f"/q/{q.public_token}/").status_code == 404


def test_group_member_turns_answer_into_finding_others_cannot(client, survey, office):
    q, a, b, codes = survey
    member = UserFactory(role=Role.MEMBER)
    outsider = UserFactory(role=Role.MEMBER)
    make_group(q.campaign, name="第一组", members=[member], subjects=[a], actor=office)
    make_group(q.campaign, name="第二组", members=[outsider], subjects=[b], actor=office)
    submit(
        questionnaire=q,
        answers=_answers(q, "满意", "满意", a_text="审批时限过长"),
        code=codes[0].code,
    )
    questionnaire_close(actor=office, questionnaire=q)  # writes the response held back
    answer = Answer.objects.get(text="审批时限过长")
    item = q.campaign.content_items.first()

    client.force_login(outsider)
    assert "审批时限过长" not in client.get(f"/questionnaires/{q.pk}/results/").content.decode()
    assert (
        client.post(
            f"/questionnaire-answers/{answer.pk}/finding/",
            {"content_item": item.pk, "kind": "problem"},
        ).status_code
        == 404
    )
    assert client.get(f"/questionnaires/{q.pk}/results.xlsx").status_code == 403

    client.force_login(member)
    page = client.get(f"/questionnaires/{q.pk}/results/").content.decode()
    assert "审批时限过长" in page and "唐晓云" not in page
    client.post(
        f"/questionnaire-answers/{answer.pk}/finding/", {"content_item": item.pk, "kind": "problem"}
    )
    finding = Finding.objects.get(questionnaire_answer=answer)
    assert finding.subject == a and finding.text == "审批时限过长"


def test_opinions_are_grouped_by_subject_then_question(client, survey, office, settings):
    q, a, b, codes = survey
    settings.QUESTIONNAIRE_BATCH_SIZE = 1
    for code, text in zip(codes[:3], ("窗口少", "效率低", "态度好"), strict=True):
        submit(
            questionnaire=q,
            answers=_answers(q, "满意", "满意", a_text=text, general="多听意见"),
            code=code.code,
        )
    questionnaire_close(actor=office, questionnaire=q)
    client.force_login(office)
    page = client.get(f"/questionnaires/{q.pk}/results/").content.decode()
    groups = page.split('data-testid="opinion-group"')[1:]
    assert len(groups) == 2  # 金立新's three, then the general question's three
    assert "金立新" in groups[0] and all(t in groups[0] for t in ("窗口少", "效率低", "态度好"))
    assert "3 条" in groups[0] and "多听意见" not in groups[0]
    assert "总体意见和建议" in groups[1] and groups[1].count("多听意见") == 3


def test_office_pages(client, office, survey):
    q, a, b, codes = survey
    client.force_login(office)
    page = client.get(f"/questionnaires/{q.pk}/").content.decode()
    assert "<svg" in page and q.public_token in page
    slips = client.get(f"/questionnaires/{q.pk}/codes/").content.decode()
    assert slips.count("<svg") == 5 and codes[0].code in slips
    response = client.post(
        f"/campaigns/{q.campaign.pk}/questionnaires/",
        {"title": "第二份", "access_mode": "sheet", "intro": "", "text_questions": ""},
    )
    assert response.status_code == 302
    assert Questionnaire.objects.filter(title="第二份").exists()


def test_responses_wait_sealed_and_no_batch_is_smaller_than_k(survey, office, settings):
    """k = 2: a batch is written once 2k wait, all but k of them; the k held back are
    written at close with the rest, so the last batch is never smaller than k either."""
    q, a, b, codes = survey
    settings.QUESTIONNAIRE_BATCH_SIZE = 2
    for code in codes[:3]:
        submit(
            questionnaire=q, answers=_answers(q, "满意", "不满意", a_text="意见"), code=code.code
        )
    assert not Response.objects.exists() and SealedResponse.objects.count() == 3
    assert responses_flush(questionnaire=q) == 0  # three are not yet 2k
    submit(questionnaire=q, answers=_answers(q, "不满意", "满意"), code=codes[3].code)
    assert Response.objects.count() == 2 and SealedResponse.objects.count() == 2
    submit(questionnaire=q, answers=_answers(q, "满意", "满意"), code=codes[4].code)
    assert Response.objects.count() == 2 and SealedResponse.objects.count() == 3
    questionnaire_close(actor=office, questionnaire=q)  # the rest, 3 ≥ k, written on close
    assert Response.objects.count() == 5 and not SealedResponse.objects.exists()
    tallies = {t.subject.person_name: t for t in questionnaire_tallies(q)}
    assert [c for _, c, _ in tallies["金立新"].counts] == [4, 0, 1]
    assert Answer.objects.filter(text="意见").count() == 3


def test_sealed_responses_all_have_one_length(survey, settings):
    q, a, b, codes = survey
    settings.QUESTIONNAIRE_BATCH_SIZE = 100
    submit(questionnaire=q, answers=_answers(q, "满意", "满意"), code=codes[0].code)
    submit(
        questionnaire=q,
        answers=_answers(q, "不满意", "基本满意", a_text="长" * 2000, general="😀" * 2000),
        code=codes[1].code,
    )
    lengths = {len(bytes(s.ciphertext)) for s in SealedResponse.objects.all()}
    assert len(lengths) == 1


def test_each_move_is_its_own_post_url(client, office, make_user):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign)
    q = questionnaire_create(
        actor=office, campaign=campaign, title="纸质", access_mode=AccessMode.SHEET
    )
    client.force_login(office)
    page = client.get(f"/questionnaires/{q.pk}/").content.decode()
    assert f"/questionnaires/{q.pk}/move/open/" in page and "/move/closed/" not in page
    refused = client.post(f"/questionnaires/{q.pk}/move/open/", follow=True).content.decode()
    assert "请先发放答题码" in refused
    client.post(f"/questionnaires/{q.pk}/codes/sheets/", {"count": "3"})
    assert q.codes.count() == 3
    assert client.get(f"/questionnaires/{q.pk}/move/open/").status_code == 405
    client.post(f"/questionnaires/{q.pk}/move/open/")
    q.refresh_from_db()
    assert q.status == "open"
    page = client.get(f"/questionnaires/{q.pk}/").content.decode()
    assert f"/questionnaires/{q.pk}/move/closed/" in page and "确定结束" in page
    again = client.post(f"/questionnaires/{q.pk}/move/open/", follow=True).content.decode()
    assert "问卷收集中，不能开始收集" in again
    client.force_login(make_user(Role.MEMBER))
    assert client.post(f"/questionnaires/{q.pk}/move/closed/").status_code == 403
    q.refresh_from_db()
    assert q.status == "open"
