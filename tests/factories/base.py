"""What every factory shares: users, the base for rows written by services, uploads."""

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.roles import Role, user_add_role

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


def office_user(**kwargs):
    """A new office staff member: the actor of most services."""
    return UserFactory(role=Role.OFFICE, is_staff=True, **kwargs)


FACTORY_OFFICE = "factory-office"


def default_office():
    """Whom factories act as when no `actor` is given: one office account per test, so
    building data does not add a staff member per row."""
    user = get_user_model().objects.filter(username=FACTORY_OFFICE).first()
    return user or office_user(username=FACTORY_OFFICE, first_name="办公室")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A factory whose rows are written by the project's services, as the app writes them.

    `_create` calls the services and returns what they wrote (a state is reached by making
    its moves, never by assigning a status), so a test sees the audit entries, keys, files
    and numbering the real thing has. There is no unsaved `build()`: services save.
    """

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError(f"{cls.__name__} writes through the services: use create()")


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
