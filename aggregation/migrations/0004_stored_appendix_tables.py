"""The appendix stored as one row per table; AppendixCell becomes a view that unpacks it.

A run's appendix cells were one row each (1.8 million rows for a run at 100 times the
national frame): writing them took more time than computing them. They are now packed
per table into StoredAppendixTable.cells (a JSON array of [item, organisation,
organisation_code, value, position]); the view aggregation_appendixcell returns the
same rows and columns as the old table, so every reader keeps its queries.
"""

import json

import django.db.models.deletion
from django.db import migrations, models

VIEW = "aggregation_appendixcell"
# The cell's id: the table row's id * 2**32 + the cell's index in the row.
SQLITE_VIEW = f"""
CREATE VIEW {VIEW} AS
SELECT t.id * 4294967296 + e.key AS id,
       t.run_id AS run_id,
       t.question_code AS question_code,
       json_extract(e.value, '$[0]') AS item,
       json_extract(e.value, '$[1]') AS organisation,
       json_extract(e.value, '$[2]') AS organisation_code,
       json_extract(e.value, '$[3]') AS value,
       json_extract(e.value, '$[4]') AS position
FROM aggregation_storedappendixtable AS t, json_each(t.cells) AS e
"""
POSTGRESQL_VIEW = f"""
CREATE VIEW {VIEW} AS
SELECT t.id * 4294967296 + e.n - 1 AS id,
       t.run_id AS run_id,
       t.question_code AS question_code,
       e.cell ->> 0 AS item,
       e.cell ->> 1 AS organisation,
       e.cell ->> 2 AS organisation_code,
       e.cell ->> 3 AS value,
       (e.cell ->> 4)::integer AS position
FROM aggregation_storedappendixtable AS t
CROSS JOIN LATERAL json_array_elements(t.cells::json) WITH ORDINALITY AS e(cell, n)
"""
CELL_COLUMNS = ("item", "organisation", "organisation_code", "value", "position")


def pack_cells(apps, schema_editor):
    """Each run's stored cells into one row per question code, in position order."""
    cell_model = apps.get_model("aggregation", "AppendixCell")
    table_model = apps.get_model("aggregation", "StoredAppendixTable")
    db = schema_editor.connection.alias
    run_ids = (
        cell_model.objects.using(db).order_by().values_list("run_id", flat=True)
    ).distinct()
    for run_id in list(run_ids):
        tables: dict[str, list[list]] = {}
        cells = (
            cell_model.objects.using(db)
            .filter(run_id=run_id)
            .order_by("position", "pk")
            .values_list("question_code", *CELL_COLUMNS)
        )
        for question_code, *cell in cells.iterator():
            tables.setdefault(question_code, []).append(cell)
        table_model.objects.using(db).bulk_create(
            table_model(
                run_id=run_id,
                question_code=code,
                cells=json.dumps(packed, ensure_ascii=False, separators=(",", ":")),
            )
            for code, packed in tables.items()
        )


def unpack_cells(apps, schema_editor):
    cell_model = apps.get_model("aggregation", "AppendixCell")
    table_model = apps.get_model("aggregation", "StoredAppendixTable")
    db = schema_editor.connection.alias
    for table in table_model.objects.using(db).order_by("pk").iterator():
        cell_model.objects.using(db).bulk_create(
            cell_model(
                run_id=table.run_id,
                question_code=table.question_code,
                **dict(zip(CELL_COLUMNS, cell, strict=True)),
            )
            for cell in json.loads(table.cells)
        )


def table_to_view(apps, schema_editor):
    """Drop the cells' table, create the view in its place."""
    cell_model = apps.get_model("aggregation", "AppendixCell")
    schema_editor.delete_model(cell_model)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_VIEW)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_VIEW)
    else:
        raise NotImplementedError(f"No appendix cell view for {vendor}.")


def view_to_table(apps, schema_editor):
    schema_editor.execute(f"DROP VIEW {VIEW}")
    schema_editor.create_model(apps.get_model("aggregation", "AppendixCell"))


class Migration(migrations.Migration):
    dependencies = [
        ("aggregation", "0003_published_values_and_previous_shares"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredAppendixTable",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("question_code", models.CharField(max_length=30)),
                ("cells", models.TextField()),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="appendix_tables",
                        to="aggregation.aggregationrun",
                    ),
                ),
            ],
            options={
                "ordering": ["run", "id"],
            },
        ),
        migrations.RunPython(pack_cells, unpack_cells),
        migrations.RunPython(table_to_view, view_to_table),
        migrations.AlterModelOptions(
            name="appendixcell",
            options={"managed": False, "ordering": ["run", "position"]},
        ),
    ]
