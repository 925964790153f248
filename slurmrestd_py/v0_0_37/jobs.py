"""GET /slurm/v0.0.37/jobs and /job/{job_id}: v0.0.38's job without
`container`, `prefer` and `group_name`, the flag JOB_CPUS_SET spelled with a
trailing space (as v0.0.37 does), and `job_resources` in its older shape,
always present: `{}` when the job has no resources."""
from __future__ import annotations

from ..kinds import NV32
from ..schema import Enum, Field, Int, Map, Obj
from ..slurm import ffi
from ..v0_0_38 import jobs
from ..v0_0_38.jobs import N

JOB_FLAGS = tuple((bit, name + " " if name == "JOB_CPUS_SET" else name)
                  for bit, name in jobs.JOB_FLAGS)
_flag_cache, _flag_names = jobs.bit_names(JOB_FLAGS)

Status = Map(Enum("assigned", "unassigned"))
NODE_ALLOCATION = Obj("node_allocation", [
    Field("sockets", Status, description="by socket id: the status of its last allocated core"),
    Field("cores", Status, description="by core id within a socket (the last socket's wins)"),
    Field("memory", Int, description="memory (MB) allocated on this node (when known)"),
    Field("cpus", Int, description="CPUs allocated on this node"),
])
JOB_RESOURCES = jobs.JOB_RESOURCES.derive(drop=["allocated_cores"], replace={
    "allocated_cpus": Field("allocated_cpus", Int, description="number of assigned job cpus"),
    "allocated_nodes": Field("allocated_nodes", Map(NODE_ALLOCATION),
                             description="allocated nodes by index in the job's node list"),
})
_R_CPUS = 5  # uint16_t *cpus: the word after cpu_array_reps


def _allocated_nodes(r, nhosts: int) -> dict:
    """Per node index: the allocated cores' status by socket and by core, as
    v0.0.37 walks the geometry (a node's core count is taken before moving on
    to the next geometry group, as the reference does)."""
    words = ffi.cast("void **", r)
    cps = ffi.cast("uint16_t *", words[jobs._R_CORES_PER_SOCKET])
    spn = ffi.cast("uint16_t *", words[jobs._R_SOCKETS_PER_NODE])
    reps = ffi.cast("uint32_t *", words[jobs._R_SOCK_CORE_REP_COUNT])
    cpus = ffi.cast("uint16_t *", words[_R_CPUS])
    memory = ffi.cast("uint64_t *", words[jobs._R_MEMORY_ALLOCATED])
    bitmap = ffi.cast("int64_t *", words[jobs._R_CORE_BITMAP])
    used = ffi.cast("int64_t *", words[jobs._R_CORE_BITMAP_USED])
    # The reference dereferences missing geometry and dies; here such nodes
    # list no sockets and cores.
    geometry = ffi.NULL not in (cps, spn, reps, bitmap)
    size = bitmap[1] if geometry else 0
    out = {}
    bit = s = sock_reps = 0
    for node in range(nhosts):
        sockets: dict[str, str] = {}
        cores: dict[str, str] = {}
        if geometry:
            bit_reps = spn[s] * cps[s]
            if sock_reps >= reps[s]:
                s += 1
                sock_reps = 0
            sock_reps += 1
            for i in range(bit_reps):
                if bit >= size:
                    break
                if jobs._bit_test(bitmap, bit):
                    status = ("assigned" if used != ffi.NULL and jobs._bit_test(used, bit)
                              else "unassigned")
                    sockets[str(i // cps[s])] = status
                    cores[str(i % cps[s])] = status
                bit += 1
        d = {"sockets": sockets, "cores": cores}
        if memory != ffi.NULL:
            d["memory"] = memory[node]
        d["cpus"] = cpus[node] if cpus != ffi.NULL else 0
        out[str(node)] = d
    return out


def _resources(r) -> dict:
    counts = ffi.cast("uint32_t *", r)
    nhosts = counts[jobs._R_NHOSTS32]
    return {"nodes": jobs._text(ffi.cast("char **", r)[jobs._R_NODES]),
            "allocated_cpus": counts[jobs._R_NCPUS32], "allocated_hosts": nhosts,
            "allocated_nodes": _allocated_nodes(r, nhosts)}


JOB = jobs.JOB.derive(drop=["container", "prefer"], replace={
    "group_id": Field("group_id", NV32, "group_id", "group job submitted as"),
    "job_resources": N("job_resources", "resources allocated to the job ({} when none)",
                       "(_res(_r) if (_r := _PL and j.job_resrcs) else {})", JOB_RESOURCES),
}).with_names(_fc=_flag_cache, _fn=_flag_names, _res=_resources)
OPERATIONS = jobs.job_operations(JOB)
