from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self) -> None:
        # Registration at start-up, not a cycle: ``annotations.dispatch`` sends tasks by name, and
        # in the embedded mode (no broker) runs them from the registry this import fills.
        from annotations import tasks  # noqa: F401
