"""The subject's assessment group moves up from subjects.Subject.assessment_group to a
link table here (one group per subject): the subjects app sits below the preliminary
assessment and keeps no foreign key to it. This step creates the table and carries every
existing assignment; subjects' next migration drops the old column."""

import django.db.models.deletion
from django.db import migrations, models


def assignments_carry(apps, schema_editor):
    Subject = apps.get_model("subjects", "Subject")
    GroupAssignment = apps.get_model("surveys", "GroupAssignment")
    GroupAssignment.objects.bulk_create(
        GroupAssignment(subject_id=subject_id, group_id=group_id)
        for subject_id, group_id in Subject.objects.filter(
            assessment_group__isnull=False
        ).values_list("pk", "assessment_group_id")
    )


def assignments_restore(apps, schema_editor):
    Subject = apps.get_model("subjects", "Subject")
    GroupAssignment = apps.get_model("surveys", "GroupAssignment")
    for subject_id, group_id in GroupAssignment.objects.values_list("subject_id", "group_id"):
        Subject.objects.filter(pk=subject_id).update(assessment_group_id=group_id)


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0002_initial"),
        ("surveys", "0003_finding_questionnaire_answer"),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="surveys.assessmentgroup",
                        verbose_name="履职初评小组",
                    ),
                ),
                (
                    "subject",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="group_assignment",
                        to="subjects.subject",
                        verbose_name="评议对象",
                    ),
                ),
            ],
            options={"verbose_name": "小组分工", "verbose_name_plural": "小组分工"},
        ),
        migrations.RunPython(assignments_carry, assignments_restore),
    ]
