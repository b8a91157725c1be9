"""The ``jsonl-exact`` serialisation format of ``export_data``: Django's JSON Lines, with every
microsecond of datetimes and times.

Django's encoder cuts them to milliseconds (ECMA-262 dates), so an export loaded back would not
be the data exported: a row saved at 12:00:00.000123 came back as 12:00:00. ``loaddata`` reads
the files with Django's own ``jsonl`` deserializer, which parses the microseconds.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.tzinfo is None:
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # Django has it; its stubs do not
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
