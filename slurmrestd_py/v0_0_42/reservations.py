"""GET /slurm/v0.0.42/reservations/ and /reservation/{reservation_name}:
v0.0.40's, with 24.11's USER_DELETE flags named and update_time read as a
number where it is one."""
from __future__ import annotations

from ..v0_0_40 import reservations as v40

# RESERVE_FLAG_USER_DEL and _NO_USER_DEL (bits 22.05 never sets).
FLAG_NAMES = v40.FLAG_NAMES + ((1 << 39, "USER_DELETE"), (1 << 40, "NO_USER_DELETE"),
                               v40.REOCCURRING)
RESERVATION = v40.RESERVATION.derive(replace={
    "flags": v40.flags_field(FLAG_NAMES, "Flags associated with this reservation")})
OPERATIONS = v40.reservation_operations(RESERVATION, typed=True)
