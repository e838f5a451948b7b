"""Reporting steps become the campaign's own list (name, recipient, days after the meeting).
The three fixed steps each campaign already has are kept, named and dated as they were."""

from django.db import migrations, models

_KINDS = {
    "party_committee": ("向党委报送评议结果和评议意见", "party_committee", 1),
    "copy_organs": ("抄送一府一委两院", "organs", 2),
    "publish": ("在人大网站公开", "website", 3),
}


def steps_named(apps, schema_editor):
    Step = apps.get_model("rectification", "ReportingStep")
    for step in Step.objects.select_related("campaign"):
        name, recipient, position = _KINDS.get(step.kind, (step.kind, "other", 9))
        step.name, step.recipient, step.position = name, recipient, position
        step.due_days = step.campaign.reporting_days
        step.save(update_fields=["name", "recipient", "position", "due_days"])


def steps_kinds(apps, schema_editor):
    Step = apps.get_model("rectification", "ReportingStep")
    kinds = {name: kind for kind, (name, _r, _p) in _KINDS.items()}
    for step in Step.objects.all():
        step.kind = kinds.get(step.name, "publish")
        step.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0005_problem_source_questionnaire"),
        ("reviews", "0004_implementation_plan_names"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="reportingstep", name="reporting_step_once"),
        migrations.AddField(
            model_name="reportingstep",
            name="name",
            field=models.CharField(default="", max_length=100, verbose_name="事项"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportingstep",
            name="recipient",
            field=models.CharField(
                choices=[
                    ("party_committee", "党委"),
                    ("organs", "一府一委两院"),
                    ("website", "人大网站"),
                    ("media", "新闻媒体"),
                    ("subjects", "评议对象"),
                    ("other", "其他"),
                ],
                default="other",
                max_length=20,
                verbose_name="报送对象",
            ),
        ),
        migrations.AddField(
            model_name="reportingstep",
            name="due_days",
            field=models.PositiveSmallIntegerField(default=7, verbose_name="期限（评议会议后天数）"),
        ),
        migrations.AddField(
            model_name="reportingstep",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="排序"),
        ),
        migrations.AlterField(
            model_name="reportingstep",
            name="due_on",
            field=models.DateField(blank=True, null=True, verbose_name="期限"),
        ),
        migrations.RunPython(steps_named, steps_kinds),
        migrations.RemoveField(model_name="reportingstep", name="kind"),
        migrations.AlterModelOptions(
            name="reportingstep",
            options={
                "ordering": ["campaign", "position", "id"],
                "verbose_name": "结果报送事项",
                "verbose_name_plural": "结果报送事项",
            },
        ),
        migrations.AddConstraint(
            model_name="reportingstep",
            constraint=models.UniqueConstraint(
                fields=("campaign", "name"), name="reporting_step_name_once"
            ),
        ),
    ]
