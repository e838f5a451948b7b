"""The audit entry's campaign and subject become generic relations (content type + id)
instead of foreign keys to reviews.Campaign and subjects.Subject, two apps above core.

Every existing entry keeps its links: the ids are copied to the new columns with the
content type of a campaign and of a subject before the foreign keys are dropped, and the
new columns take the old columns' names (0010)."""

import django.db.models.deletion
from django.db import migrations, models

LINKS = (("campaign", "reviews", "campaign"), ("subject", "subjects", "subject"))


def _check_now(schema_editor):
    """Check the new foreign keys now, so the next ALTER TABLE finds no pending trigger."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_links(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, app_label, model in LINKS:
        kind, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        AuditEntry.objects.filter(**{f"{name}__isnull": False}).update(
            **{f"{name}_type": kind, f"{name}_ref": models.F(f"{name}_id")}
        )
    _check_now(schema_editor)


def copy_links_back(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for name, app_label, model in LINKS:
        existing = apps.get_model(app_label, model).objects.values("pk")
        AuditEntry.objects.filter(**{f"{name}_ref__in": existing}).update(
            **{f"{name}_id": models.F(f"{name}_ref")}
        )
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_user_preference"),
    ]

    operations = [
        *(
            op
            for name, label in (("campaign", "评议活动"), ("subject", "评议对象"))
            for op in (
                migrations.AddField(
                    model_name="auditentry",
                    name=f"{name}_type",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AddField(
                    model_name="auditentry",
                    name=f"{name}_ref",
                    field=models.PositiveBigIntegerField(
                        blank=True, null=True, verbose_name=label
                    ),
                ),
            )
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
