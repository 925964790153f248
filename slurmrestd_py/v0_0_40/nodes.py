"""/slurm/v0.0.40 nodes/ and node/{node_name}: GET, POST (update) and DELETE.

The node record is v0.0.38's, read from the same node_info_t fields, in
Slurm 24.11's keys and forms: states as lists of names, times and free
memory as number objects, features and partitions as lists, strings never
null. What 22.05's node_info_t does not hold reads as 24.11 writes a node
without it: "" for instance_id, instance_type and reservation, a
resume_after of 0 (and a load never reported is 0, not 22.05's NO_VAL).
Updates go through 22.05's slurm_update_node and slurm_delete_node with the
reference's update_node_msg, read as its data parser reads it (reading.py).
v0.0.41 and v0.0.42 pass their own record and reading options to
node_operations.
"""
from __future__ import annotations

from .. import slurm
from ..envelope import response_40
from ..errors import ESLURM_REST_INVALID_QUERY, SLURM_NO_CHANGE_IN_DATA, SlurmError
from ..kinds import CSV, NUMBER_OBJECTS, TEXT, U32, U64, USER, Flags
from ..routes import Operation, Param
from ..schema import ArrayOf, Expr, Field, Num, Obj, Scalar, Splice, Str
from ..slurm import ffi, lib
from ..v0_0_38 import nodes as v38
from . import reading as r

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


# ---- the update body (24.11's update_node_msg into 22.05's update_node_msg_t)

def _state_value(p, value, key) -> int:
    # An unknown name is reported and skipped: the update still goes out.
    def unknown(index, name):
        where = f"#/{key}[{index}]/" if isinstance(value, list) else f"#/{key}/"
        p.error(r.ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{name}"', where)
    return NODE_STATES.parse(value, NO_VAL, unknown)


def _w(attr: str, read, want: tuple | None):
    """Writes update_node_msg_t's `attr` from a body value read by `read`;
    `want`: the field's OpenAPI type (None: not checked, as for flag lists)."""
    def write(p: r.Reading, msg, value, key, keep):
        if want is not None:
            r.expect(p, key, value, want)
        v = read(p, value, key)
        if isinstance(v, bytes):
            keep.append(ffi.new("char[]", v))
            v = keep[-1]
        elif v is None:
            v = ffi.NULL
        if attr:
            setattr(msg, attr, v)
    return write


def _resume_after(p: r.Reading, msg, value, key, keep) -> None:
    if r.number(p, value, key) != NO_VAL:
        # 22.05's update_node_msg_t has no resume_after: nothing would do it.
        p.warn("resume_after is not supported by Slurm 22.05 and was ignored", f"#/{key}/")


HOSTLIST = ArrayOf("hostlist_string", Str)
UPDATE_NODE = Obj("update_node_msg", [
    Field("comment", Str, description="Arbitrary comment",
          write=_w("comment", r.text, r.STRING)),
    Field("cpu_bind", INT32, description="Default method for binding tasks to allocated CPUs",
          write=_w("cpu_bind", r.uint32, r.INTEGER)),
    Field("extra", Str, description="Arbitrary string used for node filtering if extra "
          "constraints are enabled", write=_w("extra", r.text, r.STRING)),
    Field("features", CSV, description="Available features",
          write=_w("features", r.csv, r.ARRAY)),
    Field("features_act", CSV, description="Currently active features",
          write=_w("features_act", r.csv, r.ARRAY)),
    Field("gres", Str, description="Generic resources", write=_w("gres", r.text, r.STRING)),
    Field("address", HOSTLIST, description="NodeAddr, used to establish a communication path",
          write=_w("node_addr", r.hostlist, r.ARRAY)),
    Field("hostname", HOSTLIST, description="NodeHostname",
          write=_w("node_hostname", r.hostlist, r.ARRAY)),
    Field("name", HOSTLIST, description="NodeName", write=_w("node_names", r.hostlist, r.ARRAY)),
    Field("state", NODE_STATES, description="New state to assign to the node",
          write=_w("node_state", _state_value, None)),
    Field("reason", Str, description="Reason for node being DOWN or DRAINING",
          write=_w("reason", r.text, r.STRING)),
    Field("reason_uid", Str, description="User ID to associate with the reason (needed if user "
          "root is sending message)", write=_w("reason_uid", r.user, r.STRING)),
    Field("resume_after", U32, description="Number of seconds after which to automatically "
          "resume DOWN or DRAINED node", write=_resume_after),
    Field("weight", U32, description="Weight of the node for scheduling purposes",
          write=_w("weight", r.number, None)),
], dialect=NUMBER_OBJECTS)
RESPONSE = response_40("openapi_resp", [])


def _update_msg(call, p: r.Reading):
    """update_node_msg_t from the request body, and what keeps its strings
    alive; None when the body does not parse. Fields are read in their
    declared order, then unknown keys are reported, as the reference does."""
    msg = ffi.new("update_node_msg_t *")
    lib.slurm_init_update_node_msg(msg)
    keep: list = []
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        p.error(r.ESLURM_DATA_EXPECTED_DICT,
                f"Rejecting {r.type_name(body)} when dictionary expected", "#/")
        return None, keep
    try:
        for key, field in UPDATE_NODE.writers().items():
            if key in body:
                field.write(p, msg, body[key], key, keep)
    except r.Refused:
        return None, keep
    for key, value in body.items():
        if key not in UPDATE_NODE.writers():
            p.warn(f'Ignoring unknown field "{key}" of type {r.type_name(value)} in '
                   "DATA_PARSER_UPDATE_NODE_MSG", f"#/{key}/")
    return msg, keep


def _update(p: r.Reading, msg, names: str, source: str) -> dict:
    if lib.slurm_update_node(msg):
        p.error(lib.slurm_get_errno(), f"Failure to update node {names}", source)
    if p.errors:
        raise p.fail()
    return {}


def _refused(p: r.Reading) -> dict:
    # A body that did not parse: its errors, or (the reference's STRING
    # parser refusing a list) none at all and a 200.
    if p.errors:
        raise p.fail()
    return {}


def post_node(call, shows: bool) -> dict:
    name = call.params["node_name"]
    p = r.Reading(call, shows)
    msg, keep = _update_msg(call, p)
    if msg is None:
        return _refused(p)
    if msg.node_names != ffi.NULL:
        p.warn(f"node_names field {ffi.string(msg.node_names).decode()} ignored for singular "
               "node update", "_update_node")
    keep.append(ffi.new("char[]", r.cstr(p, name, "node_name")))
    msg.node_names = keep[-1]
    return _update(p, msg, name, "_update_node")


def post_nodes(call, shows: bool) -> dict:
    p = r.Reading(call, shows)
    msg, keep = _update_msg(call, p)
    if msg is None:
        return _refused(p)
    names = ffi.string(msg.node_names).decode() if msg.node_names != ffi.NULL else "(null)"
    return _update(p, msg, names, "_update_nodes")


def delete_node(call, shows: bool) -> dict:
    name = call.params["node_name"]
    p = r.Reading(call, shows)
    msg = ffi.new("update_node_msg_t *")
    lib.slurm_init_update_node_msg(msg)
    cname = ffi.new("char[]", r.cstr(p, name, "node_name"))
    msg.node_names = cname
    if lib.slurm_delete_node(msg):
        p.error(lib.slurm_get_errno(), f"Failure to update node {name}", "op_handler_node")
        raise p.fail()
    return {}


# ---- GET

def _answer(call, name: str | None, node: Obj, shows: bool, typed: bool) -> dict:
    p = r.Reading(call, shows, typed)
    try:
        since, flags = r.query(call, p, "OPENAPI_NODES_QUERY")
        flags = flags or v38.SHOW_FLAGS
    except r.Refused:
        p.error(ESLURM_REST_INVALID_QUERY, "Rejecting request. Failure parsing query.",
                "_dump_nodes")
        raise p.fail() from None
    if name is None:
        loader = (lambda out: lib.slurm_load_node(since, out, flags))
        call_name, what = "slurm_load_node", "Failure to query nodes"
    else:
        cname = ffi.new("char[]", r.cstr(p, name, "node_name"))
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


def _fail(p: r.Reading, errno: int, description: str) -> Exception:
    """A failed load: nothing changed since update_time is a bare 304."""
    if errno == SLURM_NO_CHANGE_IN_DATA:
        return SlurmError(errno, "_dump_nodes")
    p.error(errno, description, "_dump_nodes")
    return p.fail()


def node_operations(node: Obj = NODE, shows_values: bool = False,
                    typed_query: bool = False) -> list[Operation]:
    """The node operations with `node` as the record; `shows_values`: type
    warnings show the value (v0.0.41 and later); `typed_query`: query text
    is typed before it is read (v0.0.42)."""
    response = nodes_response(node)
    get_params = [
        Param("update_time", "query", Str, "Query jobs updated more recently than this time "
                                           "(UNIX timestamp)"),
        Param("flags", "query", Scalar("string", enum=[f[0] for f in r.SHOW_FLAGS.flags]),
              "Query flags"),
    ]
    name = Param("node_name", "path", Str, "Node name", True)
    shows, typed = shows_values, typed_query
    return [
        Operation("GET", "nodes/", "get_nodes", "get node(s) info", "slurm",
                  lambda call: _answer(call, None, node, shows, typed), response, get_params),
        Operation("POST", "nodes/", "post_nodes", "batch update node(s)", "slurm",
                  lambda call: post_nodes(call, shows), RESPONSE, body=UPDATE_NODE),
        Operation("GET", "node/{node_name}", "get_node", "get node info", "slurm",
                  lambda call: _answer(call, call.params["node_name"], node, shows, typed), response,
                  [name, *get_params]),
        Operation("POST", "node/{node_name}", "post_node", "update node properties", "slurm",
                  lambda call: post_node(call, shows), RESPONSE, [name], body=UPDATE_NODE),
        Operation("DELETE", "node/{node_name}", "delete_node", "delete node", "slurm",
                  lambda call: delete_node(call, shows), RESPONSE, [name]),
    ]


OPERATIONS = node_operations()
