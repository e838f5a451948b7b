from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_heard_backdated")]

    operations = [
        migrations.RenameField(
            model_name="finding", old_name="survey_answer", new_name="questionnaire_answer"
        ),
    ]
