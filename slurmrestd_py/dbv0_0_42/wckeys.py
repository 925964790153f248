"""/slurmdb/v0.0.42 wckeys: v0.0.40's, accounting records with `id_alt`."""
from __future__ import annotations

from ..dbv0_0_40 import wckeys as w40
from .associations import ACCOUNTING

WCKEY = w40.wckey(ACCOUNTING)
OPERATIONS = w40.operations(WCKEY)
