from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Registration at start-up, not a cycle: ``claims.services.dispatch`` sends tasks by name,
        # and in the embedded mode (no broker) runs them from the registry this import fills.
        from claims import tasks  # noqa: F401
        from claims.lookups import register

        register()
