"""/slurmdb/v0.0.37 QOS: dbv0.0.38's GET and DELETE (no POST /qos: QOS are
added through POST /config only), with deleted QOS always listed and no query."""
from __future__ import annotations

from ..dbv0_0_38 import qos
from .common import everything

dump = qos.dumper(qos.QOS, everything)
OPERATIONS = qos.qos_operations(qos.QOS, dump, [])
