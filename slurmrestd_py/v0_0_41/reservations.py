"""GET /slurm/v0.0.41/reservations/ and /reservation/{reservation_name}:
v0.0.42's records, v0.0.40's reading of update_time (a time, never a number first)."""
from __future__ import annotations

from ..v0_0_40.reservations import reservation_operations
from ..v0_0_42.reservations import RESERVATION

OPERATIONS = reservation_operations(RESERVATION)
