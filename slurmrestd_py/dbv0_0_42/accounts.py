"""/slurmdb/v0.0.42 accounts: v0.0.40's, the listing's flags named as the
account condition's flags (DELETED, WithAssociations, ...)."""
from __future__ import annotations

from ..dbv0_0_40 import accounts as a40

OPERATIONS = a40.operations({f[1]: f[2] for f in a40.FLAGS})
