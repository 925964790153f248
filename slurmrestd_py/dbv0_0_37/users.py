"""/slurmdb/v0.0.37 users: dbv0.0.38's without `flags`, with deleted users
always listed and no query."""
from __future__ import annotations

from ..dbv0_0_38 import users
from .common import everything

USER = users.USER.derive(drop=["flags"])
dump, add = users.dumper(USER, everything), users.adder(USER)
OPERATIONS = users.user_operations(USER, dump, add, [])
