"""The subject's assessment group now lives in surveys.GroupAssignment (carried there by
surveys 0004): the subjects app keeps no foreign key to the app above it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0002_initial"),
        ("surveys", "0004_group_assignment"),
    ]

    operations = [
        migrations.RemoveField(model_name="subject", name="assessment_group"),
    ]
