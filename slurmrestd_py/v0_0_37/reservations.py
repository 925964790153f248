"""GET /slurm/v0.0.37/reservations and /reservation/{name}: v0.0.38's,
whose flag table has no HOURLY and NO_HOURLY yet."""
from __future__ import annotations

from ..schema import Array, Field, Str
from ..v0_0_38 import reservations

FLAG_NAMES = tuple(f for f in reservations.FLAG_NAMES if f[1] not in ("HOURLY", "NO_HOURLY"))
RESERVATION = reservations.RESERVATION.derive(replace={"flags": Field(
    "flags", Array(Str), reservations.flags_reader(FLAG_NAMES), "Reservation options")})
OPERATIONS = reservations.reservation_operations(RESERVATION)
