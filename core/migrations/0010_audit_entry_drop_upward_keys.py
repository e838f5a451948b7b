"""The audit entry's foreign keys to reviews.Campaign and subjects.Subject go; the generic
relations filled by 0009 take their column names (campaign_id, subject_id). A migration of
its own, so that the rows 0009 changed are committed before these tables are altered."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0009_audit_entry_generic_campaign_subject")]

    operations = [
        migrations.RemoveField(model_name="auditentry", name="campaign"),
        migrations.RemoveField(model_name="auditentry", name="subject"),
        migrations.RenameField(
            model_name="auditentry", old_name="campaign_ref", new_name="campaign_id"
        ),
        migrations.RenameField(
            model_name="auditentry", old_name="subject_ref", new_name="subject_id"
        ),
        # Named, so that reversing the renames finds no index by the foreign keys' names.
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["campaign_id"], name="audit_entry_campaign"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["subject_id"], name="audit_entry_subject"),
        ),
    ]
