"""/slurmdb/v0.0.41 associations: v0.0.40's, with `id` a plain number. The
reference looks the association up in a list the associations query does
not load, so the id it writes is always 0; so is ours."""
from __future__ import annotations

from ..dbv0_0_40 import associations as a40
from ..dbv0_0_40.common import INT32
from ..schema import Field

ASSOC = a40.ASSOC.derive(replace={"id": Field("id", INT32, lambda a: 0, "Unique ID")})
OPERATIONS = a40.operations(ASSOC)
