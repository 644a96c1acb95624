"""PostgreSQL: store StoredAppendixTable.cells uncompressed (STORAGE EXTERNAL).

A packed table of 33 500 organisations is about 5 MB of JSON. PostgreSQL compressed
each value before moving it out of the row (TOAST, the default STORAGE EXTENDED),
which took much of the time a run spends storing its appendix. The cells are read
through the AppendixCell view, which unpacks them whole, so compression saves no
reading. Other databases store the text as before.
"""

from django.db import migrations

TABLE = "aggregation_storedappendixtable"


def _set_storage(storage: str):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(TABLE)} ALTER COLUMN {quote('cells')} "
            f"SET STORAGE {storage}"
        )

    return change


class Migration(migrations.Migration):
    dependencies = [("aggregation", "0004_stored_appendix_tables")]

    operations = [
        migrations.RunPython(_set_storage("EXTERNAL"), _set_storage("EXTENDED")),
    ]
