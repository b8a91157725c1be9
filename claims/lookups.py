"""``field__any_of=[ids]``: membership in a long list of ids as one parameter.

``field__in=[...]`` writes a placeholder per value, and psycopg parses and binds each of them on
the client: with the few thousand ids of a batch of checks that took a seventh of a worker's time.
On PostgreSQL this lookup sends ``field = ANY(%s)`` with the list as a single array parameter;
elsewhere (SQLite) it is a plain ``IN``. For integer ids only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(AnyOf)
    # Relations keep lookups of their own: ``claim_id__any_of`` needs it registered there too.
    ForeignObject.register_lookup(AnyOf)
