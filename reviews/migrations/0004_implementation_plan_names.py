from django.db import migrations


class Migration(migrations.Migration):
    """One name per concept: the campaign's 实施方案 is its implementation plan; the limits
    are those of the rectification plan and report."""

    dependencies = [("reviews", "0003_reporting_days")]

    operations = [
        migrations.RenameField("campaign", "plan_approved_on", "implementation_plan_approved_on"),
        migrations.RenameField("campaign", "plan_document", "implementation_plan"),
        migrations.RenameField("campaign", "plan_document_name", "implementation_plan_name"),
        migrations.RenameField("campaign", "plan_limit", "rectification_plan_limit"),
        migrations.RenameField("campaign", "plan_limit_unit", "rectification_plan_limit_unit"),
        migrations.RenameField("campaign", "report_limit", "rectification_report_limit"),
        migrations.RenameField(
            "campaign", "report_limit_unit", "rectification_report_limit_unit"
        ),
    ]
