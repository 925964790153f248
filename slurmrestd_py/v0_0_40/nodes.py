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

from .. import slurm
from ..envelope import response_40
from ..errors import (ESLURM_DATA_CONV_FAILED, ESLURM_REST_INVALID_QUERY, ApiError, SlurmError,
                      error_entry, status_40)
from ..kinds import CSV, NUMBER_OBJECTS, TEXT, U32, U64, USER, FlagError, Flags
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


def removed(name: str) -> Obj:
    """A field 24.05 removed: written as {} (v0.0.40 names its component)."""
    return Obj(name, [], "removed field")


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
    # int64, not the reference document's int32: a node that never reported
    # a load has NO_VAL (4294967294), which both write as a plain integer.
    "cpu_load": ("cpu_load", INT64, "CPU load as reported by the OS"),
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
        ("energy", Field("external_sensors", removed("ext_sensors_data"), lambda n: {})),
        ("external_sensors", _moved["extra"]),
        ("extra", Field("power", removed("power_mgmt_data"), lambda n: {})),
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


# ---- the update body (24.11's update_node_msg, 22.05's update_node_msg_t)

def _hostlist(value, key: str) -> bytes | None:
    """A host list (a string or a list of strings) as its ranged string, the
    reference's HOSTLIST_STRING; None for an empty one."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [value]
    hl = lib.slurm_hostlist_create(ffi.NULL)
    try:
        for item in items:
            if isinstance(item, (dict, list)) or item is None:
                raise _BodyError(ESLURM_DATA_CONV_FAILED, key,
                                 f"string expected but got {_type_name(item)}")
            text = item if isinstance(item, str) else str(item)
            if not lib.slurm_hostlist_push(hl, _cstr(text, key)):
                raise _BodyError(ESLURM_DATA_CONV_FAILED, key, f"Invalid host string: {text}")
        ranged = lib.slurm_hostlist_ranged_string_malloc(hl)
        try:
            return ffi.string(ranged) if ranged != ffi.NULL else None
        finally:
            lib.free(ranged)
    finally:
        lib.slurm_hostlist_destroy(hl)


class _BodyError(Exception):
    """A body value the reference's parser refuses: its error number, the
    key's path and what it says."""

    def __init__(self, errno: int, key: str, description: str):
        super().__init__(description)
        self.errno, self.key, self.description = errno, key, description


def _type_name(value) -> str:
    # The reference's data type names, as its messages print them.
    return {dict: "dictionary", list: "list", bool: "boolean", int: "integer",
            float: "floating point", str: "string", type(None): "null"}[type(value)]


def _cstr(value, key: str) -> bytes:
    from ..convert import Invalid, cstring
    try:
        return cstring(value, key)
    except Invalid as e:
        raise _BodyError(ESLURM_DATA_CONV_FAILED, key, e.reason) from None


def _text_value(value, key: str) -> bytes | None:
    # STRING: a scalar as text, null as unset.
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise _BodyError(ESLURM_DATA_CONV_FAILED, key,
                         f"string expected but got {_type_name(value)}")
    if isinstance(value, bool):
        value = "true" if value else "false"
    return _cstr(value if isinstance(value, str) else str(value), key)


def _csv_value(value, key: str) -> bytes | None:
    # CSV_STRING: a list (or an object's keys and values) joined with commas, or a string.
    if isinstance(value, list):
        return _cstr(",".join(str(v) for v in value), key)
    if isinstance(value, dict):
        return _cstr(",".join(f"{k}={v}" for k, v in value.items()), key)
    return _text_value(value, key)


def _integer(value, key: str, bounds: tuple[int, int]) -> int:
    from ..convert import integer
    number = value
    if isinstance(value, str):
        number = integer(value)
    elif isinstance(value, float) and value == int(value):
        number = int(value)
    if not isinstance(number, int) or isinstance(number, bool) \
            or not bounds[0] <= number <= bounds[1]:
        raise _BodyError(ESLURM_DATA_CONV_FAILED, key,
                         f"Unable to convert {_type_name(value)} to integer")
    return number


def _number_value(value, key: str) -> int:
    """UINT32_NO_VAL: a number, or {"set", "infinite", "number"}, or null (unset)."""
    if value is None:
        return NO_VAL
    if isinstance(value, dict):
        if value.get("infinite"):
            return INFINITE
        if value.get("set") is False or "number" not in value:
            return NO_VAL
        value = value["number"]
    return _integer(value, key, (0, INFINITE))


def _user_value(value, key: str) -> int:
    """USER_ID: a user name or a uid."""
    import pwd
    if isinstance(value, str) and not value.lstrip("+-").isdigit():
        try:
            return pwd.getpwnam(value).pw_uid
        except KeyError:
            raise _BodyError(ESLURM_DATA_CONV_FAILED, key,
                             f"Unable to resolve user: {value}") from None
    return _integer(value, key, (0, INFINITE))


def _state_value(value, key: str) -> int:
    try:
        return NODE_STATES.parse(value if isinstance(value, list) else [value], NO_VAL)
    except FlagError as e:
        raise _BodyError(ESLURM_DATA_FLAGS_INVALID, key, str(e)) from None


# 24.11's ESLURM_DATA_FLAGS_INVALID, which 22.05's libslurm has no text for.
ESLURM_DATA_FLAGS_INVALID = 9207
_MESSAGES = {ESLURM_DATA_FLAGS_INVALID: "Data parser unable to parse invalid flag"}


def _w(attr: str, read):
    """A writer of update_node_msg_t's `attr` from a body value read by `read`."""
    def write(msg, value, key, keep):
        v = read(value, key)
        if isinstance(v, bytes):
            keep.append(ffi.new("char[]", v))
            v = keep[-1]
        elif v is None:
            v = ffi.NULL
        setattr(msg, attr, v)
    return write


UPDATE_NODE = Obj("update_node_msg", [
    Field("comment", Str, description="Arbitrary comment", write=_w("comment", _text_value)),
    Field("cpu_bind", INT32, description="Default method for binding tasks to allocated CPUs",
          write=_w("cpu_bind", lambda v, k: _integer(v, k, (0, INFINITE)))),
    Field("extra", Str, description="Arbitrary string used for node filtering if extra "
          "constraints are enabled", write=_w("extra", _text_value)),
    Field("features", CSV, description="Available features",
          write=_w("features", _csv_value)),
    Field("features_act", CSV, description="Currently active features",
          write=_w("features_act", _csv_value)),
    Field("gres", Str, description="Generic resources", write=_w("gres", _text_value)),
    Field("address", ArrayOf("hostlist_string", Str),
          description="NodeAddr, used to establish a communication path",
          write=_w("node_addr", _hostlist)),
    Field("hostname", ArrayOf("hostlist_string", Str), description="NodeHostname",
          write=_w("node_hostname", _hostlist)),
    Field("name", ArrayOf("hostlist_string", Str), description="NodeName",
          write=_w("node_names", _hostlist)),
    Field("state", NODE_STATES, description="New state to assign to the node",
          write=_w("node_state", _state_value)),
    Field("reason", Str, description="Reason for node being DOWN or DRAINING",
          write=_w("reason", _text_value)),
    Field("reason_uid", Str, description="User ID to associate with the reason (needed if user "
          "root is sending message)", write=_w("reason_uid", _user_value)),
    Field("resume_after", U32, description="Number of seconds after which to automatically "
          "resume DOWN or DRAINED node", write=_w("resume_after", _number_value)),
    Field("weight", U32, description="Weight of the node for scheduling purposes",
          write=_w("weight", _number_value)),
], dialect=NUMBER_OBJECTS)
RESPONSE = response_40("openapi_resp", [])


def _fail(call, errno: int, source: str, description: str, message: str | None = None):
    """The reference's answer to a failed request: its first error's status,
    no payload."""
    if message is None:
        message = _MESSAGES.get(errno) or slurm.strerror(errno)
    return ApiError(status_40(errno), payload={}, errors=[
        error_entry("error_number", errno, message, description, source)])


def _update_msg(call, errors: list, source: str):
    """update_node_msg_t from the request body, with what keeps its strings
    alive; None (with `errors` filled) when the body does not parse."""
    msg = ffi.new("update_node_msg_t *")
    lib.slurm_init_update_node_msg(msg)
    keep: list = []
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        errors.append(error_entry("error_number", ESLURM_DATA_CONV_FAILED,
                                  slurm.strerror(ESLURM_DATA_CONV_FAILED),
                                  f"Expected dictionary but got {_type_name(body)}", source))
        return None, keep
    writers = UPDATE_NODE.writers()
    for key, value in body.items():
        field = writers.get(key)
        if field is None:
            # resume_after: 22.05's update_node_msg_t has no such field.
            call.warnings.append({"description": f"Ignoring unknown field \"{key}\" of type "
                                                 f"{_type_name(value)} in UPDATE_NODE_MSG",
                                  "source": f"#/{key}"})
            continue
        try:
            if key == "resume_after":
                if _number_value(value, key) != NO_VAL:
                    call.warnings.append({
                        "description": "resume_after is not supported by Slurm 22.05: ignored",
                        "source": "#/resume_after"})
                continue
            field.write(msg, value, key, keep)
        except _BodyError as e:
            errors.append(error_entry("error_number", e.errno,
                                      _MESSAGES.get(e.errno) or slurm.strerror(e.errno),
                                      e.description, f"#/{e.key}"))
    return (None if errors else msg), keep


def _update(call, msg, names: str, source: str) -> dict:
    if lib.slurm_update_node(msg):
        errno = lib.slurm_get_errno()
        raise _fail(call, errno, source, f"Failure to update node {names}")
    return {}


def post_node(call) -> dict:
    name = call.params["node_name"]
    errors: list = []
    msg, keep = _update_msg(call, errors, "_update_node")
    if msg is None:
        raise ApiError(status_40(errors[0]["error_number"]), payload={}, errors=errors)
    if msg.node_names != ffi.NULL:
        call.warnings.append({
            "description": f"node_names field {ffi.string(msg.node_names).decode()} ignored "
                           "for singular node update", "source": "_update_node"})
    keep.append(ffi.new("char[]", _cstr(name, "node_name")))
    msg.node_names = keep[-1]
    return _update(call, msg, name, "_update_node")


def post_nodes(call) -> dict:
    errors: list = []
    msg, keep = _update_msg(call, errors, "_update_nodes")
    if msg is None:
        raise ApiError(status_40(errors[0]["error_number"]), payload={}, errors=errors)
    names = ffi.string(msg.node_names).decode() if msg.node_names != ffi.NULL else "(null)"
    return _update(call, msg, names, "_update_nodes")


def delete_node(call) -> dict:
    name = call.params["node_name"]
    msg = ffi.new("update_node_msg_t *")
    lib.slurm_init_update_node_msg(msg)
    cname = ffi.new("char[]", _cstr(name, "node_name"))
    msg.node_names = cname
    if lib.slurm_delete_node(msg):
        raise _fail(call, lib.slurm_get_errno(), "op_handler_node",
                    f"Failure to update node {name}")
    return {}


# ---- GET

def query(call) -> tuple[int, int]:
    """(update_time, show flags) from the query, as the reference parses its
    OPENAPI_NODES_QUERY; a value it refuses fails the request."""
    errors = []
    since = 0
    value = call.query.get("update_time")
    if value is not None:
        since = _timestamp(value)
        if since is None:
            errors.append(error_entry("error_number", ESLURM_DATA_CONV_FAILED,
                                      slurm.strerror(ESLURM_DATA_CONV_FAILED),
                                      f"Parsing of {value} for timestamp failed",
                                      "#/update_time"))
    flags = 0
    value = call.query.get("flags")
    if value is not None:
        try:
            flags = SHOW_FLAGS.parse(value, 0)
        except FlagError as e:
            errors.append(error_entry("error_number", ESLURM_DATA_FLAGS_INVALID,
                                      _MESSAGES[ESLURM_DATA_FLAGS_INVALID], str(e), "#/flags"))
    if errors:
        errors.append(error_entry("error_number", ESLURM_REST_INVALID_QUERY,
                                  slurm.strerror(ESLURM_REST_INVALID_QUERY),
                                  "Rejecting request. Failure parsing query.", "_dump_nodes"))
        raise ApiError(status_40(errors[0]["error_number"]), payload={}, errors=errors)
    return since, flags or v38.SHOW_FLAGS


def _timestamp(value: str) -> int | None:
    """A TIMESTAMP query value: an integer, a decimal (truncated), or a time
    as sbatch's --begin reads it; None when it is none of them."""
    from .. import words
    typed = words.typed(value)
    if isinstance(typed, bool) or typed is None:
        return None
    if isinstance(typed, int):
        return typed
    if isinstance(typed, float):
        return int(typed) if typed == typed and abs(typed) != float("inf") else None
    t = lib.slurm_parse_time(ffi.new("char[]", _cstr(value, "update_time")), 0)
    return t or None


def _answer(call, name: str | None, node: Obj) -> dict:
    since, flags = query(call)
    if name is None:
        loader = (lambda out: lib.slurm_load_node(since, out, flags))
        call_name, what = "slurm_load_node", "Failure to query nodes"
    else:
        cname = ffi.new("char[]", _cstr(name, "node_name"))
        loader = (lambda out: lib.slurm_load_node_single(out, cname, flags))
        call_name, what = "slurm_load_node_single", f"Failure to query node {name}"
    try:
        msg = slurm.load(call_name, lib.slurm_free_node_info_msg, "node_info_msg_t", loader)
    except SlurmError as e:
        raise _fail(call, e.errno, "_dump_nodes", what) from None
    if msg.record_count == 0:
        lib.slurm_free_node_info_msg(msg)
        if name is not None:
            # 22.05 answers an unknown name with no record and no error.
            raise _fail(call, v38.ESLURM_INVALID_NODE_NAME, "_dump_nodes", what)
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
        raise _fail(call, e.errno, "_dump_nodes", "Unable to query partitions") from None
    except BaseException:
        lib.slurm_free_node_info_msg(msg)
        raise
    last = LAST_UPDATE.converter()(msg.last_update)
    return {"nodes": v38._stream(msg, node.read, by_record), "last_update": last}


def node_operations(node: Obj = NODE) -> list[Operation]:
    """The node operations with `node` as the record."""
    response = nodes_response(node)
    get_params = [
        Param("update_time", "query", Str, "Query jobs updated more recently than this time "
                                           "(UNIX timestamp)"),
        Param("flags", "query", Scalar("string", enum=[f[0] for f in SHOW_FLAGS.flags]),
              "Query flags"),
    ]
    name = Param("node_name", "path", Str, "Node name", True)
    return [
        Operation("GET", "nodes/", "get_nodes", "get node(s) info", "slurm",
                  lambda call: _answer(call, None, node), response, get_params),
        Operation("POST", "nodes/", "post_nodes", "batch update node(s)", "slurm",
                  post_nodes, RESPONSE, body=UPDATE_NODE),
        Operation("GET", "node/{node_name}", "get_node", "get node info", "slurm",
                  lambda call: _answer(call, call.params["node_name"], node), response,
                  [name, *get_params]),
        Operation("POST", "node/{node_name}", "post_node", "update node properties", "slurm",
                  post_node, RESPONSE, [name], body=UPDATE_NODE),
        Operation("DELETE", "node/{node_name}", "delete_node", "delete node", "slurm",
                  delete_node, RESPONSE, [name]),
    ]


OPERATIONS = node_operations()
