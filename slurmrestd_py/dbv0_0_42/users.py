"""/slurmdb/v0.0.42 users: v0.0.40's, their wckeys' accounting records
with `id_alt`."""
from __future__ import annotations

from ..dbv0_0_40 import users as u40
from .wckeys import WCKEY

USER = u40.user(WCKEY)
OPERATIONS = u40.operations(USER)
