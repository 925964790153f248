"""GET /slurm/v0.0.41/jobs/, /job/{job_id} and /jobs/state/: v0.0.40's job
with 32-bit number objects and job_resources in 24.11's newer shape (the
selection type, the nodes with each socket's cores)."""
from __future__ import annotations

from ..kinds import NUMBER_OBJECTS, U16, Flags, bit, equal
from ..schema import ArrayOf, Bool, Expr, Field, Obj, Raw, Scalar, Str
from ..slurm import ffi, lib
from ..v0_0_38 import jobs as v38
from ..v0_0_40 import jobs as v40

_INT32 = Scalar("integer", "int32")
_INT64 = Scalar("integer", "int64")
_CR = lib.CR_CPU | lib.CR_SOCKET | lib.CR_CORE
CR_TYPE = Flags("cr_type", [
    equal("CPU", lib.CR_CPU, _CR), equal("SOCKET", lib.CR_SOCKET, _CR),
    equal("CORE", lib.CR_CORE, _CR), bit("BOARD", lib.CR_BOARD), bit("MEMORY", lib.CR_MEMORY),
    bit("ONE_TASK_PER_CORE", lib.CR_ONE_TASK_PER_CORE), bit("PACK_NODES", lib.CR_PACK_NODES),
    bit("CORE_DEFAULT_DIST_BLOCK", lib.CR_CORE_DEFAULT_DIST_BLOCK), bit("LLN", lib.CR_LLN),
    bit("LINEAR", None),
])
# node_req: NODE_CR_AVAILABLE, NODE_CR_ONE_ROW, NODE_CR_RESERVED (src/common/job_resources.h)
NODE_CR_TYPE = Flags("node_cr_type", [
    equal("AVAILABLE", 0, 0xFFFFFFFF), equal("ONE_ROW", 1, 0xFFFFFFFF),
    equal("RESERVED", 64000, 0xFFFFFFFF),
])
CORE_STATUS = Flags("job_res_core_status", [
    equal("INVALID", None, 0), equal("UNALLOCATED", 1, 0b111), bit("ALLOCATED", 0b10),
    bit("IN_USE", 0b100),
])
JOB_RES_CORE = Obj("job_res_core", [
    Field("index", _INT32, Expr("j[0]"), "Core index"),
    Field("status", CORE_STATUS, Raw("j[1]"), "Core status"),
], required=["index", "status"])
JOB_RES_SOCKET = Obj("job_res_socket", [
    Field("index", _INT32, Expr("j[0]"), "Core index"),
    Field("cores", ArrayOf("job_res_core_array", JOB_RES_CORE), Raw("j[1]"), "Core in socket"),
], required=["index", "cores"])
JOB_RES_NODE = Obj("job_res_node", [
    Field("index", _INT32, description="Node index"),
    Field("name", Str, description="Node name"),
    Field("cpus/count", _INT32, "cpus", "Total number of CPUs assigned to job"),
    Field("cpus/used", _INT32, "cpus_used", "Total number of CPUs used by job"),
    Field("memory/used", _INT64, "memory_used", "Total memory (MiB) used by job"),
    Field("memory/allocated", _INT64, "memory_allocated", "Total memory (MiB) allocated to job"),
    Field("sockets", ArrayOf("job_res_socket_array", JOB_RES_SOCKET), description="Socket "
          "allocations in node"),
], required=["index", "name", "cpus", "memory", "sockets"])


class _Node:
    __slots__ = ("index", "name", "cpus", "cpus_used", "memory_used", "memory_allocated",
                 "sockets")


class _Resources:
    """A job_resources_t (opaque in 22.05's header) read by its 22.05 layout."""
    __slots__ = ("cr_type", "nhosts", "node_req", "nodes", "ncpus", "threads_per_core",
                 "whole_node", "allocation")

    def __init__(self, r):
        words = ffi.cast("void **", r)
        u32 = ffi.cast("uint32_t *", r)
        u16 = ffi.cast("uint16_t *", r)
        self.cr_type = u16[8 * 4]
        self.nhosts = u32[v38._R_NHOSTS32]
        self.node_req = u32[13 * 2]
        nodes = ffi.cast("char *", words[v38._R_NODES])
        self.nodes = ffi.string(nodes).decode("utf-8", "replace") if nodes != ffi.NULL else ""
        self.ncpus = u32[v38._R_NCPUS32]
        self.threads_per_core = u16[19 * 4]
        self.whole_node = ffi.cast("uint8_t *", r)[19 * 8 + 2] != 0
        self.allocation = self._nodes(words)

    def _nodes(self, words) -> list:
        cores_per_socket = ffi.cast("uint16_t *", words[v38._R_CORES_PER_SOCKET])
        if not self.nhosts or cores_per_socket == ffi.NULL:
            return []
        sockets_per_node = ffi.cast("uint16_t *", words[v38._R_SOCKETS_PER_NODE])
        reps = ffi.cast("uint32_t *", words[v38._R_SOCK_CORE_REP_COUNT])
        arrays = {name: ffi.cast(ctype, words[i]) for name, ctype, i in (
            ("cpus", "uint16_t *", 5), ("cpus_used", "uint16_t *", v38._R_CPUS_USED),
            ("memory_used", "uint64_t *", v38._R_MEMORY_USED),
            ("memory_allocated", "uint64_t *", v38._R_MEMORY_ALLOCATED))}
        bitmap = ffi.cast("int64_t *", words[v38._R_CORE_BITMAP])
        used = ffi.cast("int64_t *", words[v38._R_CORE_BITMAP_USED])
        size = bitmap[1] if bitmap != ffi.NULL else 0
        names = v38.expand_hostlist(self.nodes)
        out, bit_inx, sock_inx, sock_reps = [], 0, 0, 0
        for node_inx in range(self.nhosts):
            if sock_reps >= reps[sock_inx]:
                sock_inx, sock_reps = sock_inx + 1, 0
            sock_reps += 1
            node = _Node()
            node.index = node_inx
            node.name = names[node_inx] if node_inx < len(names) else ""
            for name, array in arrays.items():
                setattr(node, name, array[node_inx] if array != ffi.NULL else 0)
            cps, sockets = cores_per_socket[sock_inx], []
            for s in range(sockets_per_node[sock_inx]):
                cores = []
                for c in range(cps):
                    if bit_inx >= size:
                        break
                    status = 1  # unallocated
                    if v38._bit_test(bitmap, bit_inx):
                        status = 0b110 if used != ffi.NULL and v38._bit_test(used, bit_inx) \
                            else 0b10
                    cores.append((c, status))
                    bit_inx += 1
                sockets.append((s, cores))
            node.sockets = sockets
            out.append(node)
        return out


# (24.11's document lists nested keys as required by their paths, "cpus/count",
# which no answer has: ours requires the top-level keys.)
class _MaybeObj(Obj):
    """An object the job writes as null when it has none (its component says so)."""

    def definition(self, ns: str = "") -> dict:
        return {**super().definition(ns), "nullable": True}


JOB_RES = _MaybeObj("job_res", [
    Field("select_type", CR_TYPE, "cr_type", "Scheduler consumable resource selection type"),
    Field("nodes/count", _INT32, "nhosts", "Number of allocated nodes"),
    Field("nodes/select_type", NODE_CR_TYPE, "node_req", "Node scheduling selection method"),
    Field("nodes/list", Str, "nodes", "Node(s) allocated to the job"),
    Field("cpus", _INT32, "ncpus", "Number of allocated CPUs"),
    Field("threads_per_core", U16, description="Number of processor threads per CPU core"),
    Field("nodes/whole", Bool, "whole_node", "Whether whole nodes were allocated"),
    Field("nodes/allocation", ArrayOf("job_res_nodes", JOB_RES_NODE, "Job resources for a node"),
          "allocation", "Allocated node resources"),
], required=["select_type", "nodes", "cpus", "threads_per_core"], dialect=NUMBER_OBJECTS)


def _resources(r):
    return JOB_RES.read(_Resources(r))


PROCESS_EXIT_CODE = v40.PROCESS_EXIT_CODE.derive(dialect=NUMBER_OBJECTS)
JOB_INFO = v40.JOB_INFO.derive(dialect=NUMBER_OBJECTS, replace={
    "derived_exit_code": Field("derived_exit_code", PROCESS_EXIT_CODE, "derived_ec",
                               "Highest exit code of all job steps"),
    "exit_code": Field("exit_code", PROCESS_EXIT_CODE, description="Exit code of the job"),
    "job_resources": Field("job_resources", JOB_RES,
                           Expr("(_res41(_r) if (_r := _PL and j.job_resrcs) else None)"),
                           "Resources used by the job (null when none)"),
}).with_names(_res41=_resources)
OPERATIONS = v40.job_operations(JOB_INFO, NUMBER_OBJECTS)
