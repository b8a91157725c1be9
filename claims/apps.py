from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Registration at start-up, not a cycle: ``claims.services.dispatch`` sends tasks by name,
        # and in the embedded mode (no broker) runs them from the registry this import fills.
        from articles.signals import article_revision_created
        from claims import tasks  # noqa: F401
        from claims.lookups import register
        from claims.services.triage import triage_on_revision_created

        register()
        # Articles sit below claims and cannot call them: they announce new text, claims triage it.
        article_revision_created.connect(triage_on_revision_created, dispatch_uid="claims-triage-on-arrival")
