"""GET /slurm/v0.0.38/nodes and /node/{node_name}.

Like the reference: nodes are loaded with SHOW_ALL|SHOW_DETAIL|SHOW_MIXED, the
partitions with SHOW_ALL to fill in each node's partition list, and a node's
allocation (CPUs, memory, TRES) comes from its select plugin data.
"""
from __future__ import annotations

from .. import slurm
from ..envelope import response_obj
from ..errors import ESLURM_INVALID_NODE_NAME, SlurmError
from ..routes import Operation, Param
from ..schema import Array, CText, Field, Int, Num, Obj, Scalar, Str
from ..slurm import ffi, lib
from .reservations import update_time

SHOW_FLAGS = lib.SHOW_ALL | lib.SHOW_DETAIL | lib.SHOW_MIXED


def int64(value: int) -> int:
    """An unsigned 64-bit number as the reference writes it: as a signed 64-bit
    integer (NO_VAL64 is -2, INFINITE64 is -1)."""
    return value - (1 << 64) if value >= (1 << 63) else value


# Most strings: NULL is "" in JSON and null in YAML, as the reference writes them.
Text = CText
Int64 = Scalar("integer", "int64", convert=int64)
NullStr = Scalar("string", nullable=True)



# Node states, as libslurm's node_state_base_string() and
# node_state_flag_string_single() name them (checked against the installed
# libslurm by the tests): base states are the low 4 bits, lower-cased by the
# reference; flags are listed in this order, one "?" per unknown flag bit,
# and only when the base state is valid.
BASE_STATES = ("unknown", "down", "idle", "allocated", "error", "mixed", "future")
STATE_BASE = 0x0000000F
STATE_FLAGS = 0xFFFFFFF0
# The release's own flags: 24.11 dropped NODE_STATE_NET (bit 4) and added
# NODE_STATE_BLOCKED (bit 27), which libslurm names first.
_R24 = slurm.VERSION >= (24, 11, 0)
FLAG_NAMES = (
    *([(1 << 27, "BLOCKED")] if _R24 else []),
    (1 << 7, "CLOUD"),
    (1 << 10, "COMPLETING"),
    (1 << 9, "DRAIN"),
    (1 << 19, "DYNAMIC_FUTURE"),
    (1 << 26, "DYNAMIC_NORM"),
    (1 << 22, "INVALID_REG"),
    (1 << 13, "FAIL"),
    (1 << 15, "MAINTENANCE"),
    (1 << 23, "POWER_DOWN"),
    (1 << 24, "POWER_UP"),
    *([] if _R24 else [(1 << 4, "PERFCTRS")]),
    (1 << 12, "POWERED_DOWN"),
    (1 << 16, "REBOOT_REQUESTED"),
    (1 << 20, "REBOOT_ISSUED"),
    (1 << 5, "RESERVED"),
    (1 << 8, "RESUME"),
    (1 << 11, "NOT_RESPONDING"),
    (1 << 21, "PLANNED"),
    (1 << 14, "POWERING_UP"),
    (1 << 18, "POWERING_DOWN"),
)
_states: dict[int, tuple[str, tuple[str, ...]]] = {}


def node_state(state: int) -> tuple[str, tuple[str, ...]]:
    """(base state name, flag names) for a node_states value, cached."""
    found = _states.get(state)
    if found is None:
        base = state & STATE_BASE
        if base < len(BASE_STATES):
            flags = []
            rest = state & STATE_FLAGS
            for bit, name in FLAG_NAMES:
                if rest & bit:
                    flags.append(name)
                    rest &= ~bit
            flags.extend("?" * bin(rest).count("1"))
            found = (BASE_STATES[base], tuple(flags))
        else:
            found = ("invalid", ())
        _states[state] = found
    return found


def _partitions(n) -> list[str]:
    # A comma-separated list; empty items are dropped, as strtok_r does.
    if n.partitions == ffi.NULL:
        return []
    return [p for p in ffi.string(n.partitions).decode("utf-8", "replace").split(",") if p]


# Every key in the reference's order. The last five come from the node's
# select plugin data and are filled in by read_node.
NODE = Obj("node", [
    Field("architecture", Text, "arch", "computer architecture"),
    Field("burstbuffer_network_address", Text, "bcast_address", "BcastAddr"),
    Field("boards", Int, description="total number of boards per node"),
    Field("boot_time", Int, description="timestamp of node boot"),
    Field("comment", Text, description="arbitrary comment"),
    Field("cores", Int, description="number of cores per socket"),
    Field("cpu_binding", Int, "cpu_bind", "Default task binding"),
    Field("cpu_load", Int, description="CPU load * 100"),
    Field("extra", Text, description="arbitrary string"),
    Field("free_memory", Int64, "free_mem", "free memory in MiB (-2 when unknown)"),
    Field("cpus", Int, description="configured count of cpus running on the node"),
    Field("last_busy", Int, description="time node was last busy (i.e. no jobs)"),
    Field("features", Text, description="list of a node's available features"),
    Field("active_features", Text, "features_act", "list of a node's active features"),
    Field("gres", Text, description="list of a node's generic resources"),
    Field("gres_drained", Text, "gres_drain", "list of drained GRES"),
    Field("gres_used", Text, description="list of GRES in current use"),
    Field("mcs_label", Text, description="mcs label if mcs plugin in use"),
    Field("name", Text, description="node name to slurm"),
    Field("next_state_after_reboot", Str, lambda n: node_state(n.next_state)[0],
          "state after reboot"),
    Field("address", Text, "node_addr", "communication name"),
    Field("hostname", Text, "node_hostname", "node's hostname"),
    Field("state", Str, lambda n: node_state(n.node_state)[0], "current node state"),
    Field("state_flags", Array(Str), lambda n: list(node_state(n.node_state)[1]),
          "node state flags"),
    Field("next_state_after_reboot_flags", Array(Str),
          lambda n: list(node_state(n.next_state)[1]), "node state flags after reboot"),
    Field("operating_system", Text, "os", "operating system"),
    Field("owner", NullStr, lambda n: None if n.owner == slurm.NO_VAL else slurm.user_or_null(n.owner),
          "User allowed to use this node"),
    Field("partitions", Array(Str), _partitions, "assigned partitions"),
    Field("port", Int, description="TCP port number of the slurmd"),
    Field("real_memory", Int64, description="configured MB of real memory on the node"),
    Field("reason", Text, description="reason for node being DOWN or DRAINING"),
    Field("reason_changed_at", Int, "reason_time", "Time stamp when reason was set"),
    Field("reason_set_by_user", NullStr, lambda n: slurm.user_or_null(n.reason_uid),
          "User that set the reason"),
    Field("slurmd_start_time", Int, description="timestamp of slurmd startup"),
    Field("sockets", Int, description="total number of sockets per node"),
    Field("threads", Int, description="number of threads per core"),
    Field("temporary_disk", Int, "tmp_disk", "configured MB of total disk in TMP_FS"),
    Field("weight", Int, description="arbitrary priority of node for scheduling"),
    Field("tres", Text, "tres_fmt_str", "TRES on node"),
    Field("slurmd_version", Text, "version", "Slurmd version"),
    Field("alloc_memory", Int, lambda n: None, "Allocated memory (MB)"),
    Field("alloc_cpus", Int, lambda n: None, "Allocated CPUs"),
    Field("idle_cpus", Int, lambda n: None, "Idle CPUs"),
    Field("tres_used", NullStr, lambda n: None, "TRES used on node"),
    Field("tres_weighted", Num, lambda n: None, "TRES weight used on node"),
])
_read_base = Obj("", NODE.fields[:-5]).read

_ALLOCATED = lib.NODE_STATE_ALLOCATED


def allocation(n) -> tuple[int, int, str | None, float]:
    """What the select plugin data of node record `n` says is allocated:
    (CPUs, memory in MB, TRES string or None, weighted TRES)."""
    info = n.select_nodeinfo
    cpus = ffi.new("uint16_t *")
    mem = ffi.new("uint64_t *")  # the plugin writes a uint64_t
    tres = ffi.new("char **")
    weighted = ffi.new("double *")
    get = lib.slurm_get_select_nodeinfo
    for what, out in ((lib.SELECT_NODEDATA_SUBCNT, cpus),
                      (lib.SELECT_NODEDATA_MEM_ALLOC, mem),
                      (lib.SELECT_NODEDATA_TRES_ALLOC_FMT_STR, tres),
                      (lib.SELECT_NODEDATA_TRES_ALLOC_WEIGHTED, weighted)):
        rc = get(info, what, _ALLOCATED, out)
        if rc:
            from ..log import logger
            logger.error(
                "slurm_get_select_nodeinfo(%s, %d): %s", slurm.text(n.node_hostname), what,
                slurm.strerror(rc))
    tres_used = None
    if tres[0] != ffi.NULL:
        tres_used = ffi.string(tres[0]).decode("utf-8", "replace")
        lib.slurm_xfree(ffi.cast("void **", tres))
    return cpus[0], mem[0], tres_used, weighted[0]


def read_node(n) -> dict:
    d = _read_base(n)
    cpus, mem, tres_used, weighted = allocation(n)
    d["alloc_memory"] = int64(mem)
    d["alloc_cpus"] = cpus
    d["idle_cpus"] = n.cpus - cpus
    d["tres_used"] = tres_used
    d["tres_weighted"] = weighted
    return d


def _stream(msg, read, partitions=None):
    """The node records as dicts, then the buffer freed (also if abandoned).
    `partitions`: each record's partition names, when not in the records."""
    try:
        arr = msg.node_array
        for i in range(msg.record_count):
            n = arr[i]
            if n.name != ffi.NULL:  # the reference skips defunct records
                d = read(n)
                if partitions is not None:
                    d["partitions"] = partitions[i]
                yield d
    finally:
        lib.slurm_free_node_info_msg(msg)


def _partitions_holding(msg, parts) -> list[list[str]]:
    """Each node record's partitions, by name.

    slurm_populate_node_partitions() places nodes by their index in the
    whole node table, which a message holding one node does not have: the
    reference, calling it anyway, lists for /node/X the partitions of the
    cluster's first node. Looking the name up in each partition's node list
    gives the partitions /nodes lists for the same node."""
    arr, names = msg.node_array, []
    for i in range(msg.record_count):
        names.append(arr[i].name)
    found: list[list[str]] = [[] for _ in names]
    parr = parts.partition_array
    for j in range(parts.record_count):
        p = parr[j]
        if p.nodes == ffi.NULL or p.name == ffi.NULL:
            continue
        hl = lib.slurm_hostlist_create(p.nodes)
        if hl == ffi.NULL:
            continue
        try:
            pname = ffi.string(p.name).decode("utf-8", "replace")
            for k, name in enumerate(names):
                if name != ffi.NULL and lib.slurm_hostlist_find(hl, name) >= 0:
                    found[k].append(pname)
        finally:
            lib.slurm_hostlist_destroy(hl)
    return found


def _with_partitions(msg, whole_table: bool):
    """Each node record's partitions: filled into the records (the whole
    table), or returned by record (one node)."""
    try:
        # All partitions, whatever update_time says: the reference passes
        # update_time here too and fails with "Unspecified error" when nodes
        # changed but partitions did not.
        with slurm.owned("slurm_load_partitions", lib.slurm_free_partition_info_msg,
                         "partition_info_msg_t",
                         lambda out: lib.slurm_load_partitions(0, out, lib.SHOW_ALL)) as parts:
            if whole_table:
                lib.slurm_populate_node_partitions(msg, parts)
                return None
            return _partitions_holding(msg, parts)
    except BaseException:
        lib.slurm_free_node_info_msg(msg)
        raise


UPDATE_TIME = Param("update_time", "query", Int,
                    "Filter if changed since update_time. Use of this parameter can result "
                    "in faster replies.")


def node_operations(node: Obj = NODE, read=read_node, show_flags: int = SHOW_FLAGS,
                    since=update_time) -> list[Operation]:
    """GET /nodes and /node/{name} answered with `node` as `read` reads it,
    loaded with `show_flags`; partitions are loaded when `node` lists them;
    `since` reads update_time (None: the version has none)."""
    partitions = any(f.key == "partitions" for f in node.fields)

    def answer(call_name: str, loader, whole_table: bool):
        msg = slurm.load(call_name, lib.slurm_free_node_info_msg, "node_info_msg_t", loader)
        if msg.record_count == 0:
            lib.slurm_free_node_info_msg(msg)
            raise SlurmError(ESLURM_INVALID_NODE_NAME, call_name)
        by_record = _with_partitions(msg, whole_table) if partitions else None
        return {"nodes": _stream(msg, read, by_record)}

    def get_nodes(call):
        t = since(call) if since else 0
        return answer("slurm_load_node",
                      lambda out: lib.slurm_load_node(t, out, show_flags), True)

    def get_node(call):
        name = ffi.new("char[]", call.params["node_name"].encode())
        return answer("slurm_load_node_single",
                      lambda out: lib.slurm_load_node_single(out, name, show_flags), False)

    response = response_obj("nodes_response", [
        Field("nodes", Array(node), description="nodes info"),
    ])
    return [
        Operation("GET", "nodes", "get_nodes", "get all node info", "slurm", get_nodes,
                  response, [UPDATE_TIME] if since else [], errors="errno"),
        Operation("GET", "node/{node_name}", "get_node",
                  "get node info", "slurm", get_node, response,
                  [Param("node_name", "path", Str, "Slurm Node Name", True)], errors="errno"),
    ]


OPERATIONS = node_operations()
