import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.roles import Role, user_add_role
from reviews.models import Campaign, Member
from reviews.services import campaign_create
from subjects.models import LiaisonCommittee, OrganType, ReviewForm, Subject, Unit

PASSWORD = "pw-for-tests-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            user_add_role(user=self, role=extracted)


class CampaignFactory(factory.django.DjangoModelFactory):
    """Campaigns are built by the service, so they get their stages and content items."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"2017年度县人大常委会述职评议（{n}）")
    year = 2017
    term = "县十七届人大常委会"
    composition_size = 27

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        actor = kwargs.pop("actor", None) or UserFactory(role=Role.OFFICE, is_staff=True)
        return campaign_create(actor=actor, **kwargs)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"县第{n}局")
    organ_type = OrganType.GOVERNMENT


class LiaisonCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonCommittee
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"第{n}工作委员会")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    campaign = factory.SubFactory(CampaignFactory)
    person_name = factory.Sequence(lambda n: f"对象{n}")
    post = "局长"
    unit = factory.SubFactory(UnitFactory)
    appointed_on = datetime.date(2014, 3, 1)
    review_form = ReviewForm.ON_SITE
    liaison_committee = factory.SubFactory(LiaisonCommitteeFactory)
    user = factory.SubFactory(UserFactory, role=Role.SUBJECT)
    position = factory.Sequence(lambda n: n)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory, role=Role.MEMBER)
    name = factory.Sequence(lambda n: f"委员{n}")
    title = "常委会委员"


def pdf_upload(name: str = "方案.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, "application/pdf")


def xlsx_upload(rows: list[list], name: str = "导入.xlsx") -> SimpleUploadedFile:
    """An .xlsx whose first row is the header, as the office fills in the template."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_download(response):
    """The workbook an export streamed, opened as a reader would (formats and all)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def make_group(campaign, *, name: str, leader=None, members=(), subjects=(), actor=None):
    """A group of `campaign` with its subjects assigned, built through the services."""
    from surveys.services import group_create, subjects_assign

    actor = actor or UserFactory(role=Role.OFFICE, is_staff=True)
    leader = leader or UserFactory(role=Role.MEMBER)
    group = group_create(
        actor=actor, campaign=campaign, name=name, leader=leader, members=list(members)
    )
    if subjects:
        subjects_assign(
            actor=actor, campaign=campaign, assignments={s.pk: group.pk for s in subjects}
        )
        for s in subjects:
            s.refresh_from_db()
    return group


def questionnaire_with_comments(*, office, comments: int, subjects: int = 12):
    """A questionnaire on `subjects` subjects with `comments` free-text answers (one
    response each), written in bulk: for the exports' memory test and benchmark."""
    from surveys.models import AccessMode, Answer, QuestionKind, Response
    from surveys.services import questionnaire_create

    campaign = CampaignFactory(actor=office)
    for position in range(1, subjects + 1):
        SubjectFactory(campaign=campaign, position=position)
    questionnaire = questionnaire_create(
        actor=office, campaign=campaign, title="征求意见", access_mode=AccessMode.DEVICE
    )
    question = questionnaire.questions.filter(kind=QuestionKind.TEXT).first()
    responses = Response.objects.bulk_create(
        [Response(questionnaire=questionnaire) for _ in range(comments)], batch_size=2000
    )
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=question,
                text=f"第{i}条：窗口服务要改进，审批时限过长，群众反映办事难，建议推行并联审批。",
            )
            for i, response in enumerate(responses)
        ],
        batch_size=2000,
    )
    return questionnaire
