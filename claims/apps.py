from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Registration at start-up, not a cycle: ``claims.services.dispatch`` sends tasks by name,
        # and in the embedded mode (no broker) runs them from the registry this import fills.
        from articles.signals import article_revision_created
        from claims import tasks  # noqa: F401
        from claims.detection import wordnet
        from claims.lookups import register
        from claims.services.triage import triage_on_revision_created

        register()
        wordnet.use(settings.WORDNET_DIR)
        # Articles sit below claims and cannot call them: they announce new text, claims triage it.
        article_revision_created.connect(triage_on_revision_created, dispatch_uid="claims-triage-on-arrival")


@checks.register()
def wordnet_installed(**_: object) -> list[checks.CheckMessage]:
    """Refuse to start without WordNet rather than judge claims differently from other machines."""
    from claims.detection import wordnet

    problem = wordnet.missing()
    return [checks.Error(problem, id="claims.E001")] if problem else []
