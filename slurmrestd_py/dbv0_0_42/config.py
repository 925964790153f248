"""GET and POST /slurmdb/v0.0.42/config: v0.0.40's, with v0.0.42's users,
QOS, wckeys and associations."""
from __future__ import annotations

from ..dbv0_0_40 import accounts, associations
from ..dbv0_0_40.config import areas, config_operations
from . import associations as assoc42, qos, users, wckeys

OPERATIONS = config_operations(areas(accounts.ACCOUNT, users.USER, qos.QOS, wckeys.WCKEY,
                                     assoc42.ASSOC, associations.condition()))
