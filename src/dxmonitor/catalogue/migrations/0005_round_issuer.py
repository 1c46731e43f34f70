"""Each round keeps who issues its report: the rounds made before take the issuer of issuers.yaml in force on their
last day, with the deployment's overrides (which the single setting they were printed with honoured too), so a
2022 round keeps Bình Phước's Sở TT&TT and a round after 1/7/2025 takes Đồng Nai's Sở KH&CN."""

from datetime import date

from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def fill_issuers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The issuers are read as the code reads them now: the file, not a model, is their home.
    from dxmonitor.catalogue.issuers import load_issuers, round_issuer
    from dxmonitor.catalogue.loading import CatalogueError
    from dxmonitor.catalogue.rounds import round_days

    issuers, problems = load_issuers(settings.CATALOGUE_DIR)
    if problems:
        raise CatalogueError(problems)
    Round = apps.get_model("catalogue", "Round")
    for round_ in Round.objects.filter(issuer_agency=""):
        days = round_days(round_.code)
        fields = round_issuer(issuers, days[1] if days else date.today(), settings.REPORT_ISSUER_OVERRIDES)
        for name, value in fields.items():
            setattr(round_, name, value)
        round_.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_round_events_and_code_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="issuer_agency",
            field=models.CharField(blank=True, default="", help_text="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", max_length=200),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_agency_name",
            field=models.CharField(
                blank=True,
                default="",
                help_text="as running text writes it: Sở Thông tin và Truyền thông",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_parent_agency",
            field=models.CharField(blank=True, default="", help_text="UBND TỈNH BÌNH PHƯỚC", max_length=200),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_place",
            field=models.CharField(blank=True, default="", help_text="Bình Phước", max_length=100),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_recipients",
            field=models.TextField(blank=True, default="", help_text="one a line"),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_series",
            field=models.CharField(blank=True, default="", help_text="the number's series: BC-STTTT", max_length=24),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_signer_name",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="round",
            name="issuer_signer_title",
            field=models.CharField(blank=True, default="", help_text="GIÁM ĐỐC", max_length=100),
        ),
        migrations.RunPython(fill_issuers, migrations.RunPython.noop),
    ]
