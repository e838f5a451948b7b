"""tests.factories keeps up with the models: every model of the project's apps has a factory,
what it makes is a saved row that passes full_clean(), and a status asked for is the status
the services really reach."""

import inspect

import factory
import pytest
from django.apps import apps

from ballots.models import BallotStatus
from rectification.models import OpinionStatus, PlanStatus, RectificationReportStatus, VersionStatus
from reviews.models import CampaignStage
from subjects.models import DutyReportStatus
from surveys.models import InvestigationReportStatus, QuestionnaireStatus
from tests import factories

PROJECT_APPS = ["core", "reviews", "subjects", "surveys", "ballots", "rectification", "workbench"]
# Proxy models (e.g. the lockout admin over django-axes' table) own no rows of their own.
MODELS = [
    model
    for label in PROJECT_APPS
    for model in apps.get_app_config(label).get_models()
    if not model._meta.proxy
]
FACTORIES = {
    obj._meta.model: obj
    for obj in vars(factories).values()
    if inspect.isclass(obj)
    and issubclass(obj, factory.django.DjangoModelFactory)
    and not obj._meta.abstract
}

# Every state of every workflow, as the factory's keyword. Left out: a document
# "rendering" (only while a worker renders) and a mail given up (a server that refuses).
STATES = [
    (factories.CampaignFactory, "stage", CampaignStage.values),
    (factories.DutyReportVersionFactory, "status", DutyReportStatus.values),
    (factories.InvestigationReportFactory, "status", InvestigationReportStatus.values),
    (factories.QuestionnaireFactory, "status", QuestionnaireStatus.values),
    (factories.BallotFactory, "status", BallotStatus.values),
    (factories.ReviewOpinionFactory, "status", OpinionStatus.values),
    (factories.RectificationPlanFactory, "status", PlanStatus.values),
    (factories.RectificationReportFactory, "status", RectificationReportStatus.values),
    (factories.RectificationVersionFactory, "status", VersionStatus.values),
    (factories.BriefingFactory, "status", ["draft", "issued"]),
    (factories.RenderedDocumentFactory, "status", ["queued", "done", "failed"]),
    (factories.OutgoingEmailFactory, "status", ["queued", "sent", "cancelled"]),
]


def test_every_model_has_a_factory():
    missing = [model._meta.label for model in MODELS if model not in FACTORIES]
    assert not missing, f"add a factory to tests/factories for {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_the_factory_saves_a_valid_row(model):
    made = FACTORIES[model]()
    assert isinstance(made, model)
    row = model.objects.get(pk=made.pk)
    row.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field", "value"),
    [(make, field, value) for make, field, values in STATES for value in values],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_each_state_is_the_state_it_names(make, field, value):
    made = make(**{field: value})
    made.refresh_from_db()
    assert getattr(made, field) == value
    made.full_clean()


@pytest.mark.django_db
def test_an_assessment_group_with_members_and_subjects():
    group = factories.AssessmentGroupFactory(members=2, subjects=3)
    assert group.members.count() == 2 and group.subjects.count() == 3
    assert {s.campaign_id for s in group.subjects.all()} == {group.campaign_id}


@pytest.mark.django_db
def test_a_ballot_is_voted_by_the_members_in_order_and_counted():
    ballot = factories.BallotFactory(
        status=BallotStatus.PUBLISHED, votes=["满意", "满意", "不满意"]
    )
    assert ballot.web_participants == 3 and len(ballot.receipts) == 3
    assert ballot.results.get().web_counts == {"满意": 2, "基本满意": 0, "不满意": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["opinion", "investigation"])
def test_the_other_documents_render_too(kind):
    document = factories.RenderedDocumentFactory(kind=kind, status="done")
    assert document.pdf.read(5) == b"%PDF-"
    document.pdf.close()


@pytest.mark.django_db
def test_a_correction_of_an_issued_briefing():
    issued = factories.BriefingFactory(status="issued")
    correction = factories.BriefingFactory(corrects=issued)
    assert correction.corrects == issued and correction.number == issued.number + 1
