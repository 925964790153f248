"""GET /slurm/v0.0.40/reservations/ and /reservation/{reservation_name}:
v0.0.38's reservation as Slurm 24.11 writes it (reservation_info), with
the message's last_update beside the list.

`reservation_operations` serves any shape of the record (v0.0.41 and
v0.0.42 pass theirs)."""
from __future__ import annotations

from .. import slurm
from ..envelope import response_40
from ..errors import ESLURM_REST_INVALID_QUERY, SLURM_NO_CHANGE_IN_DATA, ApiError, SlurmError, \
    error_entry
from ..kinds import NUMBER_OBJECTS, TEXT, U32, U32_OBJ, U64, Flags
from ..routes import Operation, Param
from ..schema import ArrayOf, Field, Obj, Scalar, Str
from ..slurm import lib
from ..v0_0_38 import reservations as v38
from . import query

_INT32 = Scalar("integer", "int32")

# Slurm 24.11's reservation flags (data_parser v0.0.40), in its order: a
# name is listed when every bit of its mask is set (REOCCURRING: all the
# repeating ones). Masks: the RESERVE_FLAG_* bits, the same in 22.05.
FLAG_NAMES = (
    (1 << 0, "MAINT"), (1 << 1, "NO_MAINT"), (1 << 2, "DAILY"), (1 << 3, "NO_DAILY"),
    (1 << 4, "WEEKLY"), (1 << 5, "NO_WEEKLY"), (1 << 6, "IGNORE_JOBS"),
    (1 << 7, "NO_IGNORE_JOBS"), (1 << 8, "ANY_NODES"), (1 << 10, "STATIC"),
    (1 << 11, "NO_STATIC"), (1 << 12, "PART_NODES"), (1 << 13, "NO_PART_NODES"),
    (1 << 14, "OVERLAP"), (1 << 15, "SPEC_NODES"), (1 << 17, "TIME_FLOAT"),
    (1 << 18, "REPLACE"), (1 << 19, "ALL_NODES"), (1 << 20, "PURGE_COMP"),
    (1 << 21, "WEEKDAY"), (1 << 22, "NO_WEEKDAY"), (1 << 23, "WEEKEND"),
    (1 << 24, "NO_WEEKEND"), (1 << 25, "FLEX"), (1 << 26, "NO_FLEX"),
    (1 << 27, "DURATION_PLUS"), (1 << 28, "DURATION_MINUS"),
    (1 << 29, "NO_HOLD_JOBS_AFTER_END"), (1 << 31, "NO_PURGE_COMP"), (1 << 32, "MAGNETIC"),
    (1 << 34, "SKIP"), (1 << 35, "HOURLY"), (1 << 36, "NO_HOURLY"),
)
REOCCURRING = ((1 << 35) | (1 << 2) | (1 << 4) | (1 << 21) | (1 << 23), "REOCCURRING")


def flags_field(table, description: str) -> Field:
    """The reservation's flags named by `table`, a list of names."""
    return Field("flags", Flags("reservation_flags", [(n, m, m, False) for m, n in table]),
                 description=description)


CORE_SPEC = Obj("reservation_core_spec", [
    Field("node", TEXT, "node_name", "Name of reserved node"),
    Field("core", TEXT, "core_id", "IDs of reserved cores"),
])


def _core_specs(r) -> list[dict]:
    read = CORE_SPEC.read
    return [read(r.core_spec[i]) for i in range(r.core_spec_cnt)]


# 24.11 dropped watts (a removed field it writes as an empty object).
RESERVATION = v38.RESERVATION.derive(
    "reservation_info", drop=["flags", "core_spec_cnt"],
    replace={
        # A NULL string is "" (in YAML too).
        **{f.key: f.retyped(TEXT) for f in v38.RESERVATION.entries if f.type is v38.Text},
        "core_count": Field("core_count", _INT32, "core_cnt", "CoreCnt"),
        "end_time": Field("end_time", U64, description="EndTime (UNIX timestamp)"),
        "max_start_delay": Field("max_start_delay", _INT32,
                                 description="MaxStartDelay in seconds"),
        "node_count": Field("node_count", _INT32, "node_cnt", "NodeCnt"),
        # Always written (v0.0.38 wrote it only with PURGE_COMP).
        "purge_completed": Field("purge_completed/time", U32, "purge_comp_time",
                                 "If PURGE_COMP flag is set, the number of seconds this "
                                 "reservation will sit idle until it is revoked"),
        "start_time": Field("start_time", U64, description="StartTime (UNIX timestamp)"),
        "watts": Field("watts", U32_OBJ, lambda r: {}, "32 bit integer number with flags"),
    },
    add=[("core_count", Field("core_specializations",
                              ArrayOf("reservation_info_core_spec", CORE_SPEC), _core_specs,
                              "Reserved cores specification")),
         ("features", flags_field(FLAG_NAMES + (REOCCURRING,),
                                  "Flags associated with the reservation"))],
    dialect=NUMBER_OBJECTS)

LAST_UPDATE = NUMBER_OBJECTS[U64]
_UPDATE_TIME = query.update_time_param(
    "Query reservations updated more recently than this time (UNIX timestamp)")


def update_time_reader(typed: bool):
    """update_time as 24.11's data parser reads it (query.timestamp; `typed`:
    v0.0.42 reads a number first), or the reference's refusal."""
    def read(call, handler: str) -> int:
        if "update_time" not in call.query:
            return 0
        errors: list = []
        since = query.timestamp(call.query["update_time"], "#/update_time/", errors, typed)
        if errors:
            raise query.refused(handler, errors)
        return since
    return read


def _load(since: int):
    """The reservations (the caller frees them), or the reference's error:
    304 when nothing changed since `since`, else its "Unable to query"."""
    try:
        return v38.load(since)
    except SlurmError as e:
        if e.errno == SLURM_NO_CHANGE_IN_DATA:
            raise
        raise ApiError(500, e.errno, "slurm_load_reservations()",
                       "Unable to query reservations", {}) from None


def reservation_operations(reservation: Obj = RESERVATION, typed: bool = False
                           ) -> list[Operation]:
    """GET /reservations/ and /reservation/{name} answered with `reservation`;
    `typed`: update_time may be a number (see update_time_reader)."""
    read = reservation.read
    update_time = update_time_reader(typed)
    free = lib.slurm_free_reservation_info_msg

    def get_reservations(call):
        msg = _load(update_time(call, "op_handler_reservations"))
        last_update = LAST_UPDATE.converter()(msg.last_update)
        return {"reservations": slurm.stream(msg, free, msg.reservation_array,
                                             msg.record_count, read),
                "last_update": last_update}

    def get_reservation(call):
        name = call.params["reservation_name"]
        msg = _load(update_time(call, "op_handler_reservation"))
        if not msg.record_count:  # the reference's "error" numbered 0: still a 200
            free(msg)
            raise ApiError(200, payload={}, errors=[error_entry(
                "error_number", 0, slurm.strerror(0), "Unable to query reservations",
                "slurm_load_reservations()")])
        last_update = LAST_UPDATE.converter()(msg.last_update)
        # The first whose name matches whatever the case, as the reference does.
        found = v38.named(msg, msg.reservation_array, name, read, free)[:1]
        if not found:
            raise ApiError(422, ESLURM_REST_INVALID_QUERY, "op_handler_reservation",
                           f"Unable to find reservation {name}", {})
        return {"reservations": found, "last_update": last_update}

    response = response_40("openapi_reservation_resp", [
        Field("reservations", ArrayOf("reservation_info_msg", reservation),
              description="List of reservations"),
        Field("last_update", LAST_UPDATE,
              description="Time of last reservation change (UNIX timestamp)"),
    ])
    return [
        Operation("GET", "reservations/", "get_reservations", "get all reservation info",
                  "slurm", get_reservations, response, [_UPDATE_TIME]),
        Operation("GET", "reservation/{reservation_name}", "get_reservation",
                  "get reservation info", "slurm", get_reservation, response,
                  [Param("reservation_name", "path", Str, "Reservation name", True),
                   _UPDATE_TIME]),
    ]


OPERATIONS = reservation_operations()
