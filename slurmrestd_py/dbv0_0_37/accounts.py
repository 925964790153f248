"""/slurmdb/v0.0.37 accounts: dbv0.0.38's, with deleted accounts always
listed and no query."""
from __future__ import annotations

from ..dbv0_0_38 import accounts
from .common import everything

dump = accounts.dumper(everything)
add = accounts.add
OPERATIONS = accounts.account_operations(dump, [])
