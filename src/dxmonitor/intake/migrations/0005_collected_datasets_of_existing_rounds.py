"""A round made before rounds named their datasets collects the datasets it holds figures of (all the uncomputed
ones when it holds none), so that what it expects stays what it already had."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def collected(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Round = apps.get_model("catalogue", "Round")
    Dataset = apps.get_model("catalogue", "Dataset")
    Value = apps.get_model("intake", "Value")
    for round_ in Round.objects.all():
        if round_.datasets.exists():
            continue
        indicators = Value.objects.filter(round=round_).values("indicator")
        held = Dataset.objects.filter(indicators__in=indicators).distinct()
        chosen = held if held.exists() else Dataset.objects.exclude(spec__computed=True)
        round_.datasets.set(chosen)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_round_datasets_and_state"),
        ("intake", "0004_history_notes_and_protected_rounds"),
    ]

    operations = [migrations.RunPython(collected, migrations.RunPython.noop)]
