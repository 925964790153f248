"""GET and POST /slurmdb/v0.0.37/config: dbv0.0.38's over this version's
accounts, users, QOS (read) and associations (GET reads no query)."""
from __future__ import annotations

from ..dbv0_0_38 import config, qos as qos38
from ..schema import Array
from . import accounts, associations, qos, users

AREAS = config.replaced(config.AREAS, {
    "accounts": (Array(accounts.accounts.ACCOUNT), accounts.dump, accounts.add),
    "users": (Array(users.USER), users.dump, users.add),
    "QOS": (Array(qos38.QOS), qos.dump, qos38.add),
    "associations": (Array(associations.ASSOCIATION), associations.dump, associations.add),
})
OPERATIONS = config.config_operations(AREAS, [])
