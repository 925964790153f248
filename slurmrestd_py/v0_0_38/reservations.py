"""GET /slurm/v0.0.38/reservations and /reservation/{reservation_name}."""
from __future__ import annotations

from .. import slurm, words
from ..errors import (ESLURM_RESERVATION_INVALID, SLURM_NO_CHANGE_IN_DATA, ApiError,
                      SlurmError)
from ..envelope import response_obj
from ..routes import Operation, Param
from ..schema import Array, CText, Field, Inline, Int, Obj, Str
from ..slurm import ffi, lib


# Reservation flags as the reference names them, in the order it lists them
# (its own table, read from the 22.05.8 binary: HOURLY comes after
# IGNORE_JOBS). PURGE_COMP is not a flag here but the purge_completed object;
# DUR_PLUS/DUR_MINUS, NO_IGN_JOB, NO_WEEKDAY/NO_WEEKEND, NO_FLEX,
# NO_PURGE_COMP and SKIP are request-only bits and never listed.
# Values: the RESERVE_FLAG_* bits of <slurm/slurm.h>.
FLAG_NAMES = (
    (1 << 0, "MAINT"),
    (1 << 1, "NO_MAINT"),
    (1 << 25, "FLEX"),
    (1 << 14, "OVERLAP"),
    (1 << 6, "IGNORE_JOBS"),
    (1 << 35, "HOURLY"),
    (1 << 36, "NO_HOURLY"),
    (1 << 2, "DAILY"),
    (1 << 3, "NO_DAILY"),
    (1 << 21, "WEEKDAY"),
    (1 << 23, "WEEKEND"),
    (1 << 4, "WEEKLY"),
    (1 << 5, "NO_WEEKLY"),
    (1 << 15, "SPEC_NODES"),
    (1 << 19, "ALL_NODES"),
    (1 << 8, "ANY_NODES"),
    (1 << 9, "NO_ANY_NODES"),
    (1 << 10, "STATIC"),
    (1 << 11, "NO_STATIC"),
    (1 << 12, "PART_NODES"),
    (1 << 13, "NO_PART_NODES"),
    (1 << 16, "FIRST_CORES"),
    (1 << 17, "TIME_FLOAT"),
    (1 << 18, "REPLACE"),
    (1 << 30, "REPLACE_DOWN"),
    (1 << 29, "NO_HOLD_JOBS_AFTER_END"),
    (1 << 32, "MAGNETIC"),
    (1 << 33, "NO_MAGNETIC"),
)


def flags_reader(table):
    """A reader of a reservation's flags named by `table` (each version has its own)."""
    cache: dict[int, list[str]] = {}

    def flags(r) -> list[str]:
        bits = r.flags
        names = cache.get(bits)
        if names is None:
            names = cache[bits] = [n for bit, n in table if bits & bit]
        return list(names)
    return flags


# The reference renders an unset (NULL) string of a reservation as "" in
# JSON, null in YAML.
Text = CText

PURGE_COMPLETED = Inline([
    Field("time", Int, description="amount of seconds this reservation will sit idle "
                                   "until it is revoked"),
], description="If PURGE_COMP flag is set the amount of seconds this reservation will "
               "sit idle until it is revoked (present only with that flag)")

RESERVATION = Obj("reservation", [
    Field("flags", Array(Str), flags_reader(FLAG_NAMES), "Reservation options"),
    Field("accounts", Text, description="Allowed accounts"),
    Field("burst_buffer", Text, description="Reserved burst buffer"),
    Field("core_count", Int, "core_cnt", "Number of reserved cores"),
    Field("core_spec_cnt", Int, description="Number of reserved specialized cores"),
    Field("end_time", Int, description="End time of the reservation"),
    Field("features", Text, description="List of features"),
    Field("groups", Text, description="List of groups permitted to use the reserved nodes"),
    Field("licenses", Text, description="List of licenses"),
    Field("max_start_delay", Int, description="Maximum delay in which jobs outside of the "
          "reservation will be permitted to overlap once any jobs are queued for the "
          "reservation"),
    Field("name", Text, description="Reservation name"),
    Field("node_count", Int, "node_cnt", "Count of nodes reserved"),
    Field("node_list", Text, description="List of reserved nodes"),
    Field("partition", Text, description="Partition"),
    Field("purge_completed", PURGE_COMPLETED, lambda r: {"time": r.purge_comp_time}),
    Field("start_time", Int, description="Start time of reservation"),
    Field("watts", Int, "resv_watts" if slurm.declared("reserve_info_t", "resv_watts")
          else lambda r: slurm.NO_VAL,  # 24.11: never set
          "amount of power to reserve in watts (4294967294 when not set)"),
    Field("tres", Text, "tres_str", "List of TRES"),
    Field("users", Text, description="List of users"),
])
_PURGE_COMP = lib.RESERVE_FLAG_PURGE_COMP

def update_time(call) -> int:
    """The update_time query parameter as the reference reads it: 0 when
    absent; an integer (saturated to 64 bits) or a decimal with a point
    (rounded); anything else is a 400 with an empty envelope."""
    value = call.query.get("update_time")
    if value is None:
        return 0
    # Converting text to a number (not typing it) wants a digit: "." is no number.
    number = words.rounded(value) if any(c.isdigit() for c in value) else None
    if number is None:
        raise ApiError(400)
    return number


def named(msg, records, wanted: str, read, free) -> list[dict]:
    """The records of `msg` named `wanted`, read (names match whatever their
    case, as in the reference); the buffer freed."""
    key = wanted.encode().lower()
    try:
        return [read(records[i]) for i in range(msg.record_count)
                if records[i].name != ffi.NULL and ffi.string(records[i].name).lower() == key]
    finally:
        free(msg)


def load(since: int):
    """The reservations changed since `since` (the caller frees them)."""
    return slurm.load("slurm_load_reservations", lib.slurm_free_reservation_info_msg,
                      "reserve_info_msg_t",
                      lambda out: lib.slurm_load_reservations(since, out))


_UPDATE_TIME = Param("update_time", "query", Int,
                     "Filter if changed since update_time. Use of this parameter can result "
                     "in faster replies.")


def reservation_operations(reservation: Obj = RESERVATION) -> list[Operation]:
    """GET /reservations and /reservation/{name} answered with `reservation`."""
    read = reservation.read

    def read_reservation(r) -> dict:
        d = read(r)
        if not r.flags & _PURGE_COMP:
            del d["purge_completed"]
        return d

    def get_reservations(call):
        msg = load(update_time(call))
        return {"reservations": slurm.stream(msg, lib.slurm_free_reservation_info_msg,
                                             msg.reservation_array, msg.record_count,
                                             read_reservation)}

    def get_reservation(call):
        since = update_time(call)
        try:
            msg = load(since)
        except SlurmError as e:
            if e.errno == SLURM_NO_CHANGE_IN_DATA:
                raise
            # The reference reports any failure to load as an invalid reservation.
            raise SlurmError(ESLURM_RESERVATION_INVALID, e.call) from None
        found = named(msg, msg.reservation_array, call.params["reservation_name"],
                      read_reservation, lib.slurm_free_reservation_info_msg)
        if not found:
            raise SlurmError(ESLURM_RESERVATION_INVALID, "slurm_load_reservations")
        return {"reservations": found}

    response = response_obj("reservations_response", [
        Field("reservations", Array(reservation), description="reservation info"),
    ])
    return [
        Operation("GET", "reservations", "get_reservations",
                  "get all reservation info", "slurm", get_reservations, response,
                  [_UPDATE_TIME], errors="errno"),
        Operation("GET", "reservation/{reservation_name}",
                  "get_reservation", "get reservation info", "slurm",
                  get_reservation, response,
                  [Param("reservation_name", "path", Str, "Slurm Reservation Name", True),
                   Param("update_time", "query", Int,
                         "Filter if no reservation (not limited to reservation in URL) "
                         "changed since update_time.")], errors="errno"),
    ]


OPERATIONS = reservation_operations()
