from django.db import migrations, models


def fill_keys(apps, schema_editor):
    """A definition file's questionnaire is keyed by the file's name; the rest
    (extra questions made on the web) by their audience."""
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    for questionnaire in Questionnaire.objects.all():
        source = questionnaire.source_file
        if source and not source.startswith("web:") and source.endswith(".yaml"):
            key = source.rsplit("/", 1)[-1][: -len(".yaml")]
        else:
            key = questionnaire.audience
        questionnaire.key = key
        questionnaire.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_submission_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionnaire",
            name="key",
            field=models.CharField(
                db_index=True, default="", max_length=40, verbose_name="key"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
