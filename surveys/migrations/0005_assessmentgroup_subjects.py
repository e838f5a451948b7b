"""A group's subjects, through the assignments (no column: GroupAssignment holds them).
After subjects 0003, which freed the name `subjects` on the group."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0003_subject_assessment_group_moved_to_surveys"),
        ("surveys", "0004_group_assignment"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentgroup",
            name="subjects",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="surveys.GroupAssignment",
                to="subjects.subject",
                verbose_name="评议对象",
            ),
        ),
    ]
