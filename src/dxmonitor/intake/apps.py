from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.intake"
    label = "intake"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dxmonitor.catalogue.models import Dataset, Indicator, Round, Unit
        from dxmonitor.intake import revision
        from dxmonitor.intake.models import PrintedFigure, Submission, Value

        revision.watch(Value, PrintedFigure, Round, Unit, Indicator, Dataset, Submission)  # pages count submissions
        revision.watch_links(Round.datasets.through)  # what a round collects is what its pages expect
