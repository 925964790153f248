"""GET and POST /slurmdb/v0.0.36/config: dbv0.0.37's over this version's QOS
and associations."""
from __future__ import annotations

from ..dbv0_0_37 import config
from ..dbv0_0_38.config import config_operations, replaced
from ..schema import Array
from . import associations, qos

AREAS = replaced(config.AREAS, {
    "QOS": (Array(qos.QOS), qos.dump, qos.add),
    "associations": (Array(associations.ASSOCIATION), associations.dump, associations.add),
})
OPERATIONS = config_operations(AREAS, [])
