"""GET and POST /slurmdb/v0.0.41/config: v0.0.40's, with v0.0.41's
associations."""
from __future__ import annotations

from ..dbv0_0_40 import accounts, associations, qos, users, wckeys
from ..dbv0_0_40.config import areas, config_operations
from . import associations as assoc41

OPERATIONS = config_operations(areas(accounts.ACCOUNT, users.USER, qos.QOS, wckeys.WCKEY,
                                     assoc41.ASSOC, associations.condition()))
