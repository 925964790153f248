"""/slurmdb/v0.0.36 associations: dbv0.0.37's without six keys (the
association's own job limits, group TRES minutes, is_default) and without
POST /associations (POST /config still adds them)."""
from __future__ import annotations

from ..dbv0_0_37 import associations

ASSOCIATION = associations.ASSOCIATION.derive(drop=[
    "max/jobs/active", "max/jobs/accruing", "max/jobs/total", "max/tres/group/minutes",
    "max/tres/group/active", "is_default"])
dump, add = associations.dumper(ASSOCIATION), associations.adder(ASSOCIATION)
OPERATIONS = [op for op in associations.association_operations(ASSOCIATION)
              if op.method != "POST"]
