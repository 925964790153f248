"""/slurmdb/v0.0.41 accounts: v0.0.40's. The reference's v0.0.41 reads the
listing's flags by their names (DELETED, WithAssociations, ...), as v0.0.42
does, while its document names v0.0.40's keys (with_assocs, ...): both are
read here, the document's keys documented."""
from __future__ import annotations

from ..dbv0_0_40 import accounts as a40

OPERATIONS = a40.operations({**{f[0]: f[2] for f in a40.FLAGS if f[0]},
                             **{f[1]: f[2] for f in a40.FLAGS}},
                            [f[0] for f in a40.FLAGS if f[0]])
