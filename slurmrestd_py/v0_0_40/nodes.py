"""/slurm/v0.0.40 nodes/ and node/{node_name}: GET, POST (update) and DELETE.

The node record is v0.0.38's, read from the same node_info_t fields, in
Slurm 24.11's keys and forms: states as lists of names, times and free
memory as number objects, features and partitions as lists, strings never
null. What 22.05's node_info_t does not hold reads as 24.11 writes a node
without it: "" for instance_id, instance_type and reservation, a
resume_after of 0. Updates go through 22.05's slurm_update_node and
slurm_delete_node with the reference's update_node_msg.
"""
from __future__ import annotations

import json

from .. import slurm
from ..envelope import response_40
from ..errors import (ESLURM_DATA_CONV_FAILED, ESLURM_REST_INVALID_QUERY, SLURM_NO_CHANGE_IN_DATA,
                      ApiError, SlurmError, error_entry, status_40)
from ..kinds import CSV, NUMBER_OBJECTS, TEXT, U32, U64, USER, Flags
from ..routes import Operation, Param
from ..schema import ArrayOf, Expr, Field, Num, Obj, Scalar, Splice, Str
from ..slurm import ffi, lib
from ..v0_0_38 import nodes as v38

INT32 = Scalar("integer", "int32")
INT64 = Scalar("integer", "int64")
NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF
_BASE, _FLAGS = 0x0000000F, 0xFFFFFFF0

# <slurm/slurm.h>'s node_states (the same values in 22.05 and 24.11), named
# as 24.11's data parser names them: the base state, then each flag bit.
NODE_STATES = Flags("node_states", [
    ("INVALID", NO_VAL, INFINITE, True),
    *((name, i, _BASE, True) for i, name in enumerate(
        ("UNKNOWN", "DOWN", "IDLE", "ALLOCATED", "ERROR", "MIXED", "FUTURE"))),
    *((name, 1 << bit, _FLAGS, False) for bit, name in (
        (5, "RESERVED"), (6, "UNDRAIN"), (7, "CLOUD"), (8, "RESUME"), (9, "DRAIN"),
        (10, "COMPLETING"), (11, "NOT_RESPONDING"), (12, "POWERED_DOWN"), (13, "FAIL"),
        (14, "POWERING_UP"), (15, "MAINTENANCE"), (16, "REBOOT_REQUESTED"),
        (17, "REBOOT_CANCELED"), (18, "POWERING_DOWN"), (19, "DYNAMIC_FUTURE"),
        (20, "REBOOT_ISSUED"), (21, "PLANNED"), (22, "INVALID_REG"), (23, "POWER_DOWN"),
        (24, "POWER_UP"), (25, "POWER_DRAIN"), (26, "DYNAMIC_NORM"))),
])
# The query's show flags (the reference's JOB_SHOW_FLAGS).
SHOW_FLAGS = Flags("", [(name, bit, bit, False) for name, bit in (
    ("ALL", 0x1), ("DETAIL", 0x2), ("MIXED", 0x8), ("LOCAL", 0x10), ("SIBLING", 0x20),
    ("FEDERATION", 0x40), ("FUTURE", 0x80))])

ENERGY = Obj("acct_gather_energy", [
    Field("average_watts", INT32, "ave_watts", "Average power consumption, in watts"),
    Field("base_consumed_energy", INT64, description="The energy consumed between when the "
          "node was powered on and the last time it was registered by slurmd, in joules"),
    Field("consumed_energy", INT64, description="The energy consumed between the last time "
          "the node was registered by the slurmd daemon and the last node energy accounting "
          "sample, in joules"),
    Field("current_watts", U32, description="The instantaneous power consumption at the time "
          "of the last node energy accounting sample, in watts"),
    Field("previous_consumed_energy", INT64, description="Previous value of consumed_energy"),
    Field("last_collected", INT64, "poll_time",
          "Time when energy data was last retrieved (UNIX timestamp)"),
], dialect=NUMBER_OBJECTS)


def _energy(n) -> dict:
    # slurmctld always sends a record; a missing one reads as an empty record would.
    return ENERGY.read(n.energy) if n.energy != ffi.NULL else {}


class Removed(Obj):
    """A field 24.05 removed: {} in answers, deprecated in the document
    (v0.0.40 names its component, "removed field"; later versions write it
    in place)."""

    def __init__(self, name: str = ""):
        super().__init__(name, [], "removed field" if name else "")

    def definition(self, ns: str = "") -> dict:
        return {**super().definition(ns), "deprecated": True}


_ALLOC = Splice("_alloc(j)", [
    Field("alloc_memory", INT64, description="Total memory in MB currently allocated for jobs"),
    Field("alloc_cpus", INT32, description="Total number of CPUs currently allocated for jobs"),
    Field("alloc_idle_cpus", INT32, description="Total number of idle CPUs"),
    Field("tres_used", Str, description="Trackable resources currently allocated for jobs"),
    Field("tres_weighted", Num,
          description="Weighted number of billable trackable resources allocated"),
])


def _alloc(n) -> dict:
    cpus, mem, tres_used, weighted = v38.allocation(n)
    return {"alloc_memory": v38.int64(mem), "alloc_cpus": cpus, "alloc_idle_cpus": n.cpus - cpus,
            "tres_used": tres_used or "", "tres_weighted": weighted}


def _was(key38: str, key: str, type, description: str) -> Field:
    """v0.0.38's `key38`, read from the same C field, as `key` of `type`."""
    old = next(f for f in v38.NODE.fields if f.key == key38)
    return Field(key, type, old.read, description)


def _state(attr: str):
    return Expr(f"_states(j.{attr})")


# 24.11's resume_after of a node with none scheduled (22.05 schedules none).
_NO_RESUME = NUMBER_OBJECTS[U64].converter()(0)


# v0.0.38's node with 24.11's keys, in 24.11's order: each kept key retyped
# in place, moved ones dropped and added back where 24.11 writes them.
_SAME = {  # v0.0.38 key: (24.11 key, type, description)
    "architecture": ("architecture", TEXT, "Computer architecture"),
    "burstbuffer_network_address": ("burstbuffer_network_address", TEXT,
                                    "Alternate network path to be used for sbcast network "
                                    "traffic"),
    "boards": ("boards", INT32, "Number of Baseboards in nodes with a baseboard controller"),
    "boot_time": ("boot_time", U64, "Time when the node booted (UNIX timestamp)"),
    "cores": ("cores", INT32, "Number of cores in a single physical processor socket"),
    "cpu_binding": ("cpu_binding", INT32, "Default method for binding tasks to allocated CPUs"),
    "cpus": ("cpus", INT32, "Total CPUs, including cores and threads"),
    "features": ("features", CSV, "Available features"),
    "active_features": ("active_features", CSV, "Currently active features"),
    "gres": ("gres", TEXT, "Generic resources"),
    "gres_drained": ("gres_drained", TEXT, "Drained generic resources"),
    "gres_used": ("gres_used", TEXT, "Generic resources currently in use"),
    "mcs_label": ("mcs_label", TEXT, "Multi-Category Security label"),
    "name": ("name", TEXT, "NodeName"),
    "address": ("address", TEXT, "NodeAddr, used to establish a communication path"),
    "hostname": ("hostname", TEXT, "NodeHostname"),
    "operating_system": ("operating_system", TEXT, "Operating system reported by the node"),
    "port": ("port", INT32, "TCP port number of the slurmd"),
    "real_memory": ("real_memory", INT64, "Total memory in MB on the node"),
    "reason": ("reason", TEXT, "Describes why the node is in a \"DOWN\", \"DRAINED\", "
               "\"DRAINING\", \"FAILING\" or \"FAIL\" state"),
    "reason_changed_at": ("reason_changed_at", U64, "When the reason changed (UNIX timestamp)"),
    "sockets": ("sockets", INT32, "Number of physical processor sockets/chips on the node"),
    "threads": ("threads", INT32, "Number of logical threads in a single physical core"),
    "temporary_disk": ("temporary_disk", INT32,
                       "Total size in MB of temporary disk storage in TmpFS"),
    "weight": ("weight", INT32, "Weight of the node for scheduling purposes"),
    "tres": ("tres", TEXT, "Configured trackable resources"),
    "slurmd_version": ("version", TEXT, "Slurmd version"),
}
_MOVED = {  # 24.11 writes these elsewhere
    "free_memory": ("free_mem", U64, "Total memory in MB currently free as reported by the OS"),
    "extra": ("extra", TEXT,
              "Arbitrary string used for node filtering if extra constraints are enabled"),
    "last_busy": ("last_busy", U64, "Time when the node was last busy (UNIX timestamp)"),
    "comment": ("comment", TEXT, "Arbitrary comment"),
    "slurmd_start_time": ("slurmd_start_time", U64,
                          "Time when the slurmd started (UNIX timestamp)"),
}
_moved = {k: _was(k, *v) for k, v in _MOVED.items()}
NODE = v38.NODE.derive(
    drop=["state_flags", "next_state_after_reboot_flags", "alloc_memory", "alloc_cpus",
          "idle_cpus", "tres_used", "tres_weighted", *_MOVED],
    replace={
        **{k: _was(k, *v) for k, v in _SAME.items()},
        "next_state_after_reboot": Field("next_state_after_reboot", NODE_STATES,
                                         _state("next_state"),
                                         "The state the node will be assigned after rebooting"),
        # A load never reported: NO_VAL in 22.05's slurmctld, 0 in 24.11's.
        "cpu_load": Field("cpu_load", INT32, Expr("(0 if j.cpu_load == 0xFFFFFFFE else j.cpu_load)"),
                          "CPU load as reported by the OS"),
        "state": Field("state", NODE_STATES, _state("node_state"),
                       "Node state(s) applicable to this node"),
        "owner": Field("owner", USER, "owner",
                       "User allowed to run jobs on this node (unset if no restriction)"),
        "partitions": Field("partitions", CSV, v38._partitions,
                            "Partitions containing this node"),
        "reason_set_by_user": Field("reason_set_by_user", USER, "reason_uid",
                                    "User who set the reason"),
    },
    add=[
        ("boot_time", Field("cluster_name", TEXT, description="Cluster name (only set in "
                                                              "federated environments)")),
        ("cores", Field("specialized_cores", INT32, "core_spec_cnt",
                        "Number of cores reserved for system use")),
        ("cpu_load", _moved["free_memory"]),
        ("cpus", Field("effective_cpus", INT32, "cpus_efctv",
                       "Number of effective CPUs (excluding specialized CPUs)")),
        ("effective_cpus", Field("specialized_cpus", TEXT, "cpu_spec_list",
                                 "Abstract CPU IDs on this node reserved for exclusive use by "
                                 "slurmd and slurmstepd")),
        ("specialized_cpus", Field("energy", ENERGY, _energy, "Energy usage data")),
        ("energy", Field("external_sensors", Removed("ext_sensors_data"), lambda n: {})),
        ("external_sensors", _moved["extra"]),
        ("extra", Field("power", Removed("power_mgmt_data"), lambda n: {})),
        ("gres_used", Field("instance_id", TEXT, lambda n: "", "Cloud instance ID")),
        ("instance_id", Field("instance_type", TEXT, lambda n: "", "Cloud instance type")),
        ("instance_type", _moved["last_busy"]),
        ("mcs_label", Field("specialized_memory", INT64, "mem_spec_limit",
                            "Combined memory limit, in MB, for Slurm compute node daemons")),
        ("real_memory", _moved["comment"]),
        ("reason_set_by_user", Field("resume_after", U64, lambda n: _NO_RESUME,
                                     "Number of seconds after the node's state is updated to "
                                     "\"DOWN\" or \"DRAIN\" before scheduling a node state "
                                     "resume")),
        ("resume_after", Field("reservation", TEXT, lambda n: "",
                               "Name of reservation containing this node")),
        ("reservation", _ALLOC),
        ("tres_weighted", _moved["slurmd_start_time"]),
    ],
    dialect=NUMBER_OBJECTS,
).with_names(_states=NODE_STATES.listed, _alloc=_alloc)
LAST_UPDATE = NUMBER_OBJECTS[U64]


def nodes_response(node: Obj) -> Obj:
    return response_40("openapi_nodes_resp", [
        Field("nodes", ArrayOf("nodes", node), description="List of nodes"),
        Field("last_update", LAST_UPDATE, description="Time of last node change (UNIX timestamp)"),
    ])


# ---- reading the body and the query as 24.11's data parser does

# 24.11's error numbers that 22.05's libslurm has no text for.
ESLURM_DATA_FLAGS_INVALID = 9207
ESLURM_DATA_EXPECTED_DICT = 9209
ESLURM_USER_ID_UNKNOWN = 2166
_MESSAGES = {ESLURM_DATA_FLAGS_INVALID: "Data parser unable to parse invalid flag",
             ESLURM_DATA_EXPECTED_DICT: "Data parser expected a dictionary or object",
             ESLURM_USER_ID_UNKNOWN: "Unable to resolve user ID to user name"}


def _message(errno: int) -> str:
    return _MESSAGES.get(errno) or slurm.strerror(errno)


class _Refused(Exception):
    """A value the parser refuses: the request stops there."""


class _Parse:
    """What reading one request found: its error entries (the answer's first
    error gives its status) and, in the call, its warnings."""

    def __init__(self, call, shows_values: bool):
        self.call = call
        self.errors: list[dict] = []
        # v0.0.41 and later: a type warning shows the value and its format.
        self.shows_values = shows_values

    def error(self, errno: int, description: str, source: str) -> None:
        self.errors.append(error_entry("error_number", errno, _message(errno), description,
                                       source))

    def refuse(self, errno: int, description: str, source: str):
        self.error(errno, description, source)
        return _Refused()

    def warn(self, description: str, source: str) -> None:
        self.call.warnings.append({"description": description, "source": source})

    def fail(self, payload: dict | None = None) -> ApiError:
        return ApiError(status_40(self.errors[0]["error_number"]),
                        payload={} if payload is None else payload, errors=self.errors)


# The data types as the reference names them: (OpenAPI type, format, its own name).
_DATA = {str: ("string", None, "string"), int: ("integer", "int64", "64 bit integer"),
         float: ("number", None, "floating point number"), bool: ("boolean", None, "boolean"),
         list: ("array", None, "list"), dict: ("object", None, "dictionary"),
         type(None): ("null", None, "null")}


def _type_name(value) -> str:
    return _DATA[type(value)][2]


def _shown(value) -> str:
    # How the reference prints a value in a message (%pd).
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def _expect(p: _Parse, key: str, value, want: tuple) -> None:
    """The reference's warning for a value of another type than the field's
    OpenAPI type (it still parses it if it can)."""
    if value is None or want[2] == _type_name(value):
        return
    got = _DATA[type(value)]
    fmt = (lambda f: f" format={f}" if f else "")
    text = (f"Expected OpenAPI type={want[0]}{fmt(want[1])} (Slurm type={want[2]}) but got "
            f"OpenAPI type={got[0]}{fmt(got[1] if p.shows_values else None)} "
            f"(Slurm type={got[2]})")
    p.warn(f"{text}: {_shown(value)}" if p.shows_values else text, f"#/{key}/")


_STRING, _INTEGER, _ARRAY = _DATA[str], ("integer", "int32", "64 bit integer"), _DATA[list]


def _cstr(p: _Parse, value: str, key: str) -> bytes:
    from ..convert import Invalid, cstring
    try:
        return cstring(value, key)
    except Invalid as e:
        raise p.refuse(ESLURM_DATA_CONV_FAILED, e.reason, f"#/{key}/") from None


def _text_value(p, value, key):
    """STRING: a scalar as text; null unsets."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        # The reference's STRING parser fails here without a word: the
        # request stops, and answers 200 with no error.
        raise _Refused()
    if not isinstance(value, str):
        value = _shown(value)
    return _cstr(p, value, key)


def _csv_value(p, value, key):
    """CSV_STRING: a list (or an object's key=value pairs) joined with commas, or a string."""
    if isinstance(value, list):
        return _cstr(p, ",".join(v if isinstance(v, str) else _shown(v) for v in value), key)
    if isinstance(value, dict):
        return _cstr(p, ",".join(f"{k}={v}" for k, v in value.items()), key)
    return _text_value(p, value, key)


def _hostlist(p, value, key):
    """HOSTLIST_STRING: a host list (a string or a list of them) as its
    ranged string; None for an empty one."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        hl = lib.slurm_hostlist_create(_cstr(p, value, key))
        if hl == ffi.NULL:
            raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Invalid hostlist string: {value}",
                           f"#/{key}/")
        items = []
    else:
        items = value if isinstance(value, list) else [value]
        hl = lib.slurm_hostlist_create(ffi.NULL)
    try:
        for item in items:
            if isinstance(item, (dict, list)) or item is None:
                raise p.refuse(ESLURM_DATA_CONV_FAILED,
                               f"string expected but got {_type_name(item)}", f"#/{key}/")
            text = item if isinstance(item, str) else _shown(item)
            if not lib.slurm_hostlist_push(hl, _cstr(p, text, key)):
                raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Invalid host string: {text}",
                               f"#/{key}/")
        ranged = lib.slurm_hostlist_ranged_string_malloc(hl)
        try:
            return ffi.string(ranged) if ranged != ffi.NULL else None
        finally:
            lib.free(ranged)
    finally:
        lib.slurm_hostlist_destroy(hl)


def _integer(p, value, key, bounds=(0, INFINITE)) -> int:
    from ..convert import integer
    number = integer(value) if isinstance(value, str) else value
    if isinstance(number, float) and number == number and abs(number) != float("inf"):
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool) \
            or not bounds[0] <= number <= bounds[1]:
        raise p.refuse(ESLURM_DATA_CONV_FAILED,
                       f"Expected integer but got {_shown(value)}", f"#/{key}/")
    return number


def _uint32(p, value, key):
    return _integer(p, value, key)


def _number_value(p, value, key) -> int:
    """UINT32_NO_VAL: a number, {"set", "infinite", "number"}, or null (unset)."""
    if value is None:
        return NO_VAL
    if isinstance(value, dict):
        if value.get("infinite"):
            return INFINITE
        if value.get("set") is False or "number" not in value:
            return NO_VAL
        value = value["number"]
    return _integer(p, value, key)


def _user_value(p, value, key) -> int:
    """USER_ID: a user name or a uid."""
    import pwd
    if isinstance(value, str) and not value.lstrip("+-").isdigit():
        try:
            return pwd.getpwnam(value).pw_uid
        except KeyError:
            raise p.refuse(ESLURM_USER_ID_UNKNOWN, f"Unable to resolve user: {value}",
                           f"#/{key}/") from None
    return _integer(p, value, key)


def _state_value(p, value, key) -> int:
    # An unknown name is reported and skipped: the update still goes out.
    def unknown(index, name):
        where = f"#/{key}[{index}]/" if isinstance(value, list) else f"#/{key}/"
        p.error(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{name}"', where)
    return NODE_STATES.parse(value, NO_VAL, unknown)


def _w(attr: str, read, want: tuple | None):
    """Writes update_node_msg_t's `attr` from a body value read by `read`;
    `want`: the field's OpenAPI type (None: not checked, as for flag lists)."""
    def write(p: _Parse, msg, value, key, keep):
        if want is not None:
            _expect(p, key, value, want)
        v = read(p, value, key)
        if isinstance(v, bytes):
            keep.append(ffi.new("char[]", v))
            v = keep[-1]
        elif v is None:
            v = ffi.NULL
        if attr:
            setattr(msg, attr, v)
    return write


def _resume_after(p: _Parse, msg, value, key, keep) -> None:
    if _number_value(p, value, key) != NO_VAL:
        # 22.05's update_node_msg_t has no resume_after: nothing would do it.
        p.warn("resume_after is not supported by Slurm 22.05 and was ignored", f"#/{key}/")


HOSTLIST = ArrayOf("hostlist_string", Str)
UPDATE_NODE = Obj("update_node_msg", [
    Field("comment", Str, description="Arbitrary comment",
          write=_w("comment", _text_value, _STRING)),
    Field("cpu_bind", INT32, description="Default method for binding tasks to allocated CPUs",
          write=_w("cpu_bind", _uint32, _INTEGER)),
    Field("extra", Str, description="Arbitrary string used for node filtering if extra "
          "constraints are enabled", write=_w("extra", _text_value, _STRING)),
    Field("features", CSV, description="Available features",
          write=_w("features", _csv_value, _ARRAY)),
    Field("features_act", CSV, description="Currently active features",
          write=_w("features_act", _csv_value, _ARRAY)),
    Field("gres", Str, description="Generic resources", write=_w("gres", _text_value, _STRING)),
    Field("address", HOSTLIST, description="NodeAddr, used to establish a communication path",
          write=_w("node_addr", _hostlist, _ARRAY)),
    Field("hostname", HOSTLIST, description="NodeHostname",
          write=_w("node_hostname", _hostlist, _ARRAY)),
    Field("name", HOSTLIST, description="NodeName", write=_w("node_names", _hostlist, _ARRAY)),
    Field("state", NODE_STATES, description="New state to assign to the node",
          write=_w("node_state", _state_value, None)),
    Field("reason", Str, description="Reason for node being DOWN or DRAINING",
          write=_w("reason", _text_value, _STRING)),
    Field("reason_uid", Str, description="User ID to associate with the reason (needed if user "
          "root is sending message)", write=_w("reason_uid", _user_value, _STRING)),
    Field("resume_after", U32, description="Number of seconds after which to automatically "
          "resume DOWN or DRAINED node", write=_resume_after),
    Field("weight", U32, description="Weight of the node for scheduling purposes",
          write=_w("weight", _number_value, None)),
], dialect=NUMBER_OBJECTS)
RESPONSE = response_40("openapi_resp", [])


def _update_msg(call, p: _Parse):
    """update_node_msg_t from the request body, and what keeps its strings
    alive; None when the body does not parse. Fields are read in their
    declared order, then unknown keys are reported, as the reference does."""
    msg = ffi.new("update_node_msg_t *")
    lib.slurm_init_update_node_msg(msg)
    keep: list = []
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        p.error(ESLURM_DATA_EXPECTED_DICT,
                f"Rejecting {_type_name(body)} when dictionary expected", "#/")
        return None, keep
    try:
        for key, field in UPDATE_NODE.writers().items():
            if key in body:
                field.write(p, msg, body[key], key, keep)
    except _Refused:
        return None, keep
    for key, value in body.items():
        if key not in UPDATE_NODE.writers():
            p.warn(f'Ignoring unknown field "{key}" of type {_type_name(value)} in '
                   "DATA_PARSER_UPDATE_NODE_MSG", f"#/{key}/")
    return msg, keep


def _update(p: _Parse, msg, names: str, source: str) -> dict:
    if lib.slurm_update_node(msg):
        p.error(lib.slurm_get_errno(), f"Failure to update node {names}", source)
    if p.errors:
        raise p.fail()
    return {}


def _refused(p: _Parse) -> dict:
    # A body that did not parse: its errors, or (the reference's STRING
    # parser refusing a list) none at all and a 200.
    if p.errors:
        raise p.fail()
    return {}


def post_node(call, shows: bool) -> dict:
    name = call.params["node_name"]
    p = _Parse(call, shows)
    msg, keep = _update_msg(call, p)
    if msg is None:
        return _refused(p)
    if msg.node_names != ffi.NULL:
        p.warn(f"node_names field {ffi.string(msg.node_names).decode()} ignored for singular "
               "node update", "_update_node")
    keep.append(ffi.new("char[]", _cstr(p, name, "node_name")))
    msg.node_names = keep[-1]
    return _update(p, msg, name, "_update_node")


def post_nodes(call, shows: bool) -> dict:
    p = _Parse(call, shows)
    msg, keep = _update_msg(call, p)
    if msg is None:
        return _refused(p)
    names = ffi.string(msg.node_names).decode() if msg.node_names != ffi.NULL else "(null)"
    return _update(p, msg, names, "_update_nodes")


def delete_node(call, shows: bool) -> dict:
    name = call.params["node_name"]
    p = _Parse(call, shows)
    msg = ffi.new("update_node_msg_t *")
    lib.slurm_init_update_node_msg(msg)
    cname = ffi.new("char[]", _cstr(p, name, "node_name"))
    msg.node_names = cname
    if lib.slurm_delete_node(msg):
        p.error(lib.slurm_get_errno(), f"Failure to update node {name}", "op_handler_node")
        raise p.fail()
    return {}


# ---- GET

def query(call, p: _Parse) -> tuple[int, int]:
    """(update_time, show flags) from the query, as the reference parses its
    OPENAPI_NODES_QUERY: a time it cannot read refuses the request; an
    unknown flag is reported and the answer still given."""
    since = 0
    if "update_time" in call.query:
        since = _timestamp(p, call.query["update_time"])
    flags = 0
    value = call.query.get("flags")
    if value is not None:
        def unknown(index, name):
            p.error(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{name}"', f"#/flags[{index}]/")
        flags = SHOW_FLAGS.parse(value, 0, unknown)
    return since, flags or v38.SHOW_FLAGS


def _timestamp(p: _Parse, value) -> int:
    """A TIMESTAMP: a number (as the reference's data layer types query
    text), else a time as sbatch's --begin reads it."""
    from .. import words
    source = "#/update_time/"
    typed = words.typed(value) if isinstance(value, str) else value
    if isinstance(typed, bool):  # query text is no Boolean here: "true" is a time to read
        typed = value
    if isinstance(typed, float):
        typed = None if typed != typed or abs(typed) == float("inf") else int(typed)
    if typed is None or value == "":
        raise p.refuse(ESLURM_DATA_CONV_FAILED, "Invalid or unset timestamp value", source)
    if isinstance(typed, int):
        return typed
    t = lib.slurm_parse_time(ffi.new("char[]", _cstr(p, value, "update_time")), 0)
    if not t:
        raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Parsing of {value} for timestamp failed",
                       source)
    return t


def _answer(call, name: str | None, node: Obj, shows: bool) -> dict:
    p = _Parse(call, shows)
    try:
        since, flags = query(call, p)
    except _Refused:
        p.error(ESLURM_REST_INVALID_QUERY, "Rejecting request. Failure parsing query.",
                "_dump_nodes")
        raise p.fail() from None
    if name is None:
        loader = (lambda out: lib.slurm_load_node(since, out, flags))
        call_name, what = "slurm_load_node", "Failure to query nodes"
    else:
        cname = ffi.new("char[]", _cstr(p, name, "node_name"))
        loader = (lambda out: lib.slurm_load_node_single(out, cname, flags))
        call_name, what = "slurm_load_node_single", f"Failure to query node {name}"
    try:
        msg = slurm.load(call_name, lib.slurm_free_node_info_msg, "node_info_msg_t", loader)
    except SlurmError as e:
        raise _fail(p, e.errno, what) from None
    if msg.record_count == 0:
        lib.slurm_free_node_info_msg(msg)
        if name is not None:
            # No record and no error: the reference reports errno, which
            # nothing set (error 0, and a 200).
            p.error(0, what, "_dump_nodes")
            raise p.fail()
        return {"nodes": [], "last_update": LAST_UPDATE.converter()(0)}
    try:
        # The reference loads the partitions with the same update_time: when
        # they have not changed since, the answer is theirs (304).
        with slurm.owned("slurm_load_partitions", lib.slurm_free_partition_info_msg,
                         "partition_info_msg_t",
                         lambda out: lib.slurm_load_partitions(since, out, flags)) as parts:
            if name is None:
                lib.slurm_populate_node_partitions(msg, parts)
                by_record = None
            else:
                by_record = v38._partitions_holding(msg, parts)
    except SlurmError as e:
        lib.slurm_free_node_info_msg(msg)
        raise _fail(p, e.errno, "Unable to query partitions") from None
    except BaseException:
        lib.slurm_free_node_info_msg(msg)
        raise
    payload = {"nodes": v38._stream(msg, node.read, by_record),
               "last_update": LAST_UPDATE.converter()(msg.last_update)}
    if p.errors:  # unknown flags: reported beside the answer
        raise p.fail(payload)
    return payload


def _fail(p: _Parse, errno: int, description: str) -> Exception:
    """A failed load: nothing changed since update_time is a bare 304."""
    if errno == SLURM_NO_CHANGE_IN_DATA:
        return SlurmError(errno, "_dump_nodes")
    p.error(errno, description, "_dump_nodes")
    return p.fail()


def node_operations(node: Obj = NODE, shows_values: bool = False) -> list[Operation]:
    """The node operations with `node` as the record; `shows_values`: type
    warnings show the value (v0.0.41 and later)."""
    response = nodes_response(node)
    get_params = [
        Param("update_time", "query", Str, "Query jobs updated more recently than this time "
                                           "(UNIX timestamp)"),
        Param("flags", "query", Scalar("string", enum=[f[0] for f in SHOW_FLAGS.flags]),
              "Query flags"),
    ]
    name = Param("node_name", "path", Str, "Node name", True)
    shows = shows_values
    return [
        Operation("GET", "nodes/", "get_nodes", "get node(s) info", "slurm",
                  lambda call: _answer(call, None, node, shows), response, get_params),
        Operation("POST", "nodes/", "post_nodes", "batch update node(s)", "slurm",
                  lambda call: post_nodes(call, shows), RESPONSE, body=UPDATE_NODE),
        Operation("GET", "node/{node_name}", "get_node", "get node info", "slurm",
                  lambda call: _answer(call, call.params["node_name"], node, shows), response,
                  [name, *get_params]),
        Operation("POST", "node/{node_name}", "post_node", "update node properties", "slurm",
                  lambda call: post_node(call, shows), RESPONSE, [name], body=UPDATE_NODE),
        Operation("DELETE", "node/{node_name}", "delete_node", "delete node", "slurm",
                  lambda call: delete_node(call, shows), RESPONSE, [name]),
    ]


OPERATIONS = node_operations()
