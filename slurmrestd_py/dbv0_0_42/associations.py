"""/slurmdb/v0.0.42 associations: v0.0.41's, accounting records with
`id_alt` (22.05 keeps none: 0), the condition's flags named by their
descriptions in the query."""
from __future__ import annotations

from ..dbv0_0_40 import associations as a40
from ..dbv0_0_40.common import INT32
from ..dbv0_0_41 import associations as a41
from ..schema import Field

ACCOUNTING = a40.ACCOUNTING.derive(add=[
    ("id", Field("id_alt", INT32, lambda r: 0, "Alternate ID (not currently used)"))])
ASSOC = a41.ASSOC.derive(replace={"accounting": a40.accounting(ACCOUNTING)})
OPERATIONS = a40.operations(ASSOC, v42=True)
