"""What one job component's properties say (`Spec`, the reference's option
record) and the job_desc_msg_t it becomes: filled the way sbatch and the
reference fill it, defaults included (working directory, priority for
hold/release, minimum CPUs, node counts ...), so that a job submitted here
ends up as the reference would have made it. Unlike the reference, an
update applies `name` and `mail_type` (it drops them)."""
from __future__ import annotations

import os

from .. import slurm
from ..slurm import INFINITE, NO_VAL, NO_VAL16, NO_VAL64, ffi, lib
from .sbatch_syntax import (MEM_PER_CPU, PROFILE_NOT_SET, SLURM_DIST_ARBITRARY,
                            SLURM_DIST_STATE_BASE, SLURM_DIST_UNKNOWN, cpu_freq_cmdline,
                            profile_to_string)

# <slurm/slurm.h>
NICE_OFFSET = 0x80000000
JOB_NTASKS_SET, JOB_CPUS_SET = 1 << 14, 1 << 15
OPEN_MODE_APPEND, OPEN_MODE_TRUNCATE = 1, 2


class Spec:
    """A job's properties as parsed, before they become a job_desc_msg_t.

    Defaults are those of sbatch's option reset; `job_desc()` applies them
    as the reference does (for a submission) or leaves unset fields alone
    (for an update).
    """

    def __init__(self):
        self.text: dict[str, str] = {}  # job_desc_msg_t char* fields set as given
        self.numbers: dict[str, int] = {}  # job_desc_msg_t number fields set as given
        self.script: str | None = None  # v0.0.40 on: the batch script may come with the job
        self.quoted = False  # v0.0.41 on: refusals show the value (values.no_val_number)
        self.argv: list[str] | None = None
        self.begin = 0
        self.chdir: str | None = None
        self.core_spec = NO_VAL16
        self.cores_per_socket = NO_VAL
        self.cpu_freq = (NO_VAL, NO_VAL, NO_VAL)
        self.cpus_per_gpu = 0
        self.cpus_per_task = 0
        self.cpus_set = False
        self.deadline = 0
        self.delay_boot = NO_VAL
        self.distribution = SLURM_DIST_UNKNOWN
        self.plane_size = NO_VAL
        self.environment: list[str] | None = None
        self.get_user_env_time = -1
        self.gpu_bind: str | None = None
        self.gpu_freq: str | None = None
        self.gpus: str | None = None
        self.gpus_per_node: str | None = None
        self.gpus_per_socket: str | None = None
        self.gpus_per_task: str | None = None
        self.gres: str | None = None
        self.job_flags = 0
        self.hold: bool | None = None
        self.job_name: str | None = None
        self.name_set = False
        self.mail_type = 0
        self.mail_type_set = False
        self.mem_bind: str | None = None
        self.mem_bind_type = 0
        self.mem = NO_VAL64
        self.mem_per_cpu = NO_VAL64
        self.mem_per_gpu = NO_VAL64
        self.pn_min_cpus = -1
        self.nice = NO_VAL
        self.no_kill = False
        self.requeue = NO_VAL
        self.nodelist: str | None = None
        self.min_nodes, self.max_nodes, self.nodes_set = 1, 0, False
        self.ntasks, self.ntasks_set = 1, False
        self.ntasks_per_core = NO_VAL
        self.ntasks_per_node = NO_VAL
        self.ntasks_per_socket = NO_VAL
        self.ntasks_per_tres = NO_VAL
        self.ntasks_per_gpu = NO_VAL
        self.open_mode = 0
        self.shared = NO_VAL16
        self.priority = 0
        self.profile = PROFILE_NOT_SET
        self.signal = (0, 0, 0)
        self.sockets_per_node = NO_VAL
        self.threads_per_core = NO_VAL
        self.time_limit = NO_VAL
        self.time_min = NO_VAL
        self.tmp_disk = NO_VAL64
        self.wait_all_nodes = NO_VAL16

    # -- the job description ------------------------------------------------

    def job_desc(self, update: bool, keep: list):
        """A job_desc_msg_t for this spec; `keep` holds the C buffers it
        points to (they must outlive the RPC). None if the reference's
        option layer would refuse it (unconfigured GRES)."""
        desc = ffi.new("job_desc_msg_t *")
        lib.slurm_init_job_desc_msg(desc)
        keep.append(desc)

        def cstr(s: str | None):
            if s is None:
                return ffi.NULL
            buf = ffi.new("char[]", s.encode())
            keep.append(buf)
            return buf

        desc.begin_time = self.begin
        desc.bitflags |= self.job_flags
        desc.contiguous = NO_VAL16 if update else 0
        if self.core_spec != NO_VAL16:
            desc.core_spec = self.core_spec
        desc.cpu_freq_min, desc.cpu_freq_max, desc.cpu_freq_gov = self.cpu_freq
        cpus_per_tres = f"gres:gpu:{self.cpus_per_gpu}" if self.cpus_per_gpu else None
        desc.cpus_per_tres = cstr(cpus_per_tres)
        desc.deadline = self.deadline
        if self.delay_boot != NO_VAL:
            desc.delay_boot = self.delay_boot
        if self.no_kill:
            desc.kill_on_node_fail = 0
        if not update or self.mail_type_set:
            desc.mail_type = self.mail_type
        desc.mem_bind = cstr(self.mem_bind)
        desc.mem_bind_type = self.mem_bind_type
        mem_per_tres = f"gres:gpu:{self.mem_per_gpu}" if self.mem_per_gpu != NO_VAL64 else None
        desc.mem_per_tres = cstr(mem_per_tres)
        if not update or self.name_set:
            desc.name = cstr(self.job_name)
        if self.nice != NO_VAL:
            desc.nice = (NICE_OFFSET + self.nice) & 0xFFFFFFFF
        if self.ntasks_set:
            desc.bitflags |= JOB_NTASKS_SET
            desc.num_tasks = self.ntasks
        if self.open_mode:
            desc.open_mode = self.open_mode
        estimated = self.ntasks
        if (self.ntasks_per_node != NO_VAL and self.ntasks_per_node > 0
                and not self.ntasks_set
                and (self.min_nodes == self.max_nodes or self.max_nodes == 0)):
            estimated = self.min_nodes * self.ntasks_per_node
        if self.cpus_set:
            desc.min_cpus = (estimated * self.cpus_per_task) & 0xFFFFFFFF
        elif self.nodes_set and self.min_nodes == 0:
            desc.min_cpus = 0
        elif not update:
            desc.min_cpus = estimated & 0xFFFFFFFF
        if self.plane_size != NO_VAL:
            desc.plane_size = self.plane_size
        if self.hold is not None:
            desc.priority = 0 if self.hold else INFINITE
        elif self.priority:
            desc.priority = self.priority
        desc.profile = self.profile
        if self.nodelist is not None:
            desc.req_nodes = cstr(_ranged_unique(self.nodelist))
        if self.shared != NO_VAL16:
            desc.shared = self.shared
        # The reference drops the distribution of a submission, keeping its plane size.
        desc.task_dist = SLURM_DIST_UNKNOWN if not update else self.distribution
        if self.time_limit != NO_VAL:
            desc.time_limit = self.time_limit
        if self.time_min != NO_VAL:
            desc.time_min = self.time_min
        tres_bind = f"gres:gpu:{self.gpu_bind}" if self.gpu_bind is not None else None
        tres_freq = f"gpu:{self.gpu_freq}" if self.gpu_freq is not None else None
        desc.tres_bind = cstr(tres_bind)
        desc.tres_freq = cstr(tres_freq)
        tres_per_job = _xfmt_tres(None, "gres:gpu", self.gpus)
        tres_per_node = _xfmt_tres(None, "gres:gpu", self.gpus_per_node)
        if self.gres and self.gres.lower() != "none":
            tres_per_node = f"{tres_per_node},{self.gres}" if tres_per_node else self.gres
        tres_per_socket = _xfmt_tres(None, "gres:gpu", self.gpus_per_socket)
        tres_per_task = _xfmt_tres(None, "gres:gpu", self.gpus_per_task)
        desc.tres_per_job = cstr(tres_per_job)
        desc.tres_per_node = cstr(tres_per_node)
        desc.tres_per_socket = cstr(tres_per_socket)
        desc.tres_per_task = cstr(tres_per_task)
        desc.warn_signal, desc.warn_time, desc.warn_flags = self.signal
        # After the TRES strings made of v0.0.38's keys: v0.0.40's give them as is.
        for attr, value in self.text.items():
            setattr(desc, attr, cstr(value))
        for attr, value in self.numbers.items():
            setattr(desc, attr, value)
        if not update:
            desc.work_dir = cstr(self.chdir if self.chdir is not None else os.getcwd())
        elif self.chdir is not None:
            desc.work_dir = cstr(self.chdir)
        if self.cpus_set:
            desc.bitflags |= JOB_CPUS_SET
            desc.cpus_per_task = self.cpus_per_task
        if self.nodes_set:
            desc.min_nodes = self.min_nodes
            if self.max_nodes:
                desc.max_nodes = self.max_nodes
        for attr in ("sockets_per_node", "cores_per_socket", "threads_per_core",
                     "ntasks_per_node", "ntasks_per_socket", "ntasks_per_core"):
            value = getattr(self, attr)
            if value != NO_VAL:
                setattr(desc, attr, value & 0xFFFF)
        if self.ntasks_per_tres != NO_VAL:
            desc.ntasks_per_tres = self.ntasks_per_tres
        elif self.ntasks_per_gpu != NO_VAL:
            desc.ntasks_per_tres = self.ntasks_per_gpu
        if self.pn_min_cpus > -1:
            desc.pn_min_cpus = self.pn_min_cpus
        if self.mem != NO_VAL64:
            desc.pn_min_memory = self.mem
        elif self.mem_per_cpu != NO_VAL64:
            desc.pn_min_memory = self.mem_per_cpu | MEM_PER_CPU
        if self.tmp_disk != NO_VAL64:
            desc.pn_min_tmp_disk = self.tmp_disk & 0xFFFFFFFF
        requested = _gres_names(cpus_per_tres, tres_freq and "gres:" + tres_freq,
                                tres_per_job, tres_per_node, tres_per_socket,
                                tres_per_task, mem_per_tres)
        if requested - _configured_gres():
            return None  # the reference's own GRES check fails: no error entry

        # What the reference's sbatch-like filling adds.
        desc.wait_all_nodes = self.wait_all_nodes
        env = list(self.environment) if self.environment is not None else None
        if self.get_user_env_time >= 0:
            env = _env_set(env, "SLURM_GET_USER_ENV", "1")
        if (self.distribution & SLURM_DIST_STATE_BASE) == SLURM_DIST_ARBITRARY:
            env = _env_set(env, "SLURM_ARBITRARY_NODELIST",
                           _ranged_unique(self.nodelist) if self.nodelist else "(null)")
        if not update:  # an update keeps slurm_init_job_desc_msg's "no owner named"
            # (24.11's is SLURM_AUTH_NOBODY: its slurmctld takes NO_VAL for one, and
            # refuses a user's update naming another owner as ESLURM_USER_ID_MISSING)
            desc.user_id, desc.group_id = slurm.job_owner()
        if self.argv is not None:
            desc.argc = len(self.argv)
            desc.argv = _cstr_array(self.argv, keep)
        if self.requeue != NO_VAL:
            desc.requeue = self.requeue
        self._env = env
        return desc

    def environment_for(self, desc, update: bool, keep: list) -> bool:
        """Set the job's environment as the reference does; False when a
        submission has none (the reference refuses it)."""
        env = self._env
        if not update and not env:
            return False
        if self.job_name is not None and (not update or self.name_set):
            env = _env_set(env, "SLURM_JOB_NAME", self.job_name)
        if self.open_mode:
            env = _env_set(env, "SLURM_OPEN_MODE",
                           "a" if self.open_mode == OPEN_MODE_APPEND else "t")
        if self.text.get("dependency") is not None:
            env = _env_set(env, "SLURM_JOB_DEPENDENCY", self.text["dependency"])
        if self.profile != PROFILE_NOT_SET:
            env = _env_set(env, "SLURM_PROFILE", profile_to_string(self.profile))
        if self.text.get("acctg_freq") is not None:
            env = _env_set(env, "SLURM_ACCTG_FREQ", self.text["acctg_freq"])
        freq = cpu_freq_cmdline(*self.cpu_freq)
        if freq:
            env = _env_set(env, "SLURM_CPU_FREQ_REQ", freq)
        if env is not None:
            desc.environment = _cstr_array(env, keep)
            desc.env_size = len(env)
        return True


def _env_set(env: list[str] | None, name: str, value: str) -> list[str]:
    env = list(env or ())
    prefix = name + "="
    for i, entry in enumerate(env):
        if entry.startswith(prefix):
            env[i] = prefix + value
            return env
    env.append(prefix + value)
    return env


def _cstr_array(items: list[str], keep: list):
    bufs = [ffi.new("char[]", s.encode()) for s in items]
    arr = ffi.new("char *[]", bufs + [ffi.NULL])
    keep.extend(bufs)
    keep.append(arr)
    return arr


def _ranged_unique(nodelist: str) -> str | None:
    hl = lib.slurm_hostlist_create(nodelist.encode())
    if hl == ffi.NULL:
        return nodelist
    try:
        lib.slurm_hostlist_uniq(hl)
        size = 1024
        while True:
            buf = ffi.new("char[]", size)
            if lib.slurm_hostlist_ranged_string(hl, size, buf) >= 0:
                return ffi.string(buf).decode()
            size *= 4
    finally:
        lib.slurm_hostlist_destroy(hl)


def _configured_gres() -> set[str]:
    types = slurm.conf_value("GresTypes") or ""
    return {t.strip() for t in types.split(",") if t.strip()}


def _xfmt_tres(dest: str | None, prefix: str, src: str | None) -> str | None:
    """As sbatch's xfmt_tres: `dest`, then each of `src`'s tokens as prefix:token."""
    if not src:
        return dest
    parts = [dest] if dest else []
    parts += [f"{prefix}:{tok}" for tok in src.split(",") if tok]
    return ",".join(parts)


def _gres_names(*specs: str | None) -> set[str]:
    """The GRES names that TRES strings ("gres:gpu:2,...") request."""
    names = set()
    for spec in specs:
        for tok in (spec or "").split(","):
            parts = tok.split(":")
            if parts and parts[0] == "gres" and len(parts) > 1:
                names.add(parts[1].split("/")[-1])
    return names
