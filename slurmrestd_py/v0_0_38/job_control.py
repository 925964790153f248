"""POST /slurm/v0.0.38/job/submit, POST /slurm/v0.0.38/job/{job_id} (update)
and DELETE /slurm/v0.0.38/job/{job_id} (?signal=).

Job properties are declared once, in PROPERTIES: each Field names the JSON
key, its type and description (the OpenAPI request schema comes from them)
and how a value is written (`write`). A writer converts the JSON value as the
reference's data layer does (a number where a string is expected becomes
"12", "3" where an integer is expected becomes 3, and so on), validates it as
sbatch's option parser does, and records it in a `Spec`; `Spec.job_desc()`
then fills a job_desc_msg_t the way sbatch and the reference do, defaults
included (working directory, priority for hold/release, minimum CPUs, node
counts ...), so a job submitted here ends up as the reference would have
made it. Failures produce the reference's error entries, in its order.

Deliberate differences from the reference 22.05 (see the README):
* `"requeue": false` disables requeueing (the reference ignores the value);
* an update's `name` and `mail_type` are applied (the reference drops them);
* an update that cannot be parsed is a 400 (the reference answers 200).
"""
from __future__ import annotations

import os
import re

from .. import convert, slurm, words
from ..envelope import response_obj
from ..errors import (EPERM, ESLURM_ALREADY_DONE, ESLURM_DATA_CONV_FAILED,
                      ESLURM_ENVIRONMENT_MISSING, ESLURM_INVALID_TIME_VALUE,
                      ESLURM_JOB_SCRIPT_MISSING, ESLURM_REST_FAIL_PARSING,
                      ESLURM_REST_INVALID_JOBS_DESC, ESLURM_REST_INVALID_QUERY, SLURM_ERROR,
                      ApiError, SlurmError, error_entry, refused_credentials)
from ..routes import Operation, Param
from ..schema import Array, Bool, CText, Enum, Field, Int, Map, Obj, OneOf, Str
from ..slurm import INFINITE, INFINITE16, NO_VAL, NO_VAL16, NO_VAL64, ffi, lib


# Failures the reference answers with 400; any other is a 500.
_BAD_REQUEST = (ESLURM_REST_INVALID_QUERY, ESLURM_REST_FAIL_PARSING,
                ESLURM_REST_INVALID_JOBS_DESC)

# <slurm/slurm.h>
INT_MAX, INT_MIN = (1 << 31) - 1, -(1 << 31)
NICE_OFFSET = 0x80000000
MEM_PER_CPU = 0x8000000000000000
CORE_SPEC_THREAD = 0x8000
KILL_INV_DEP, NO_KILL_INV_DEP = 1 << 0, 1 << 1
GRES_ENFORCE_BIND, GRES_DISABLE_BIND = 1 << 4, 1 << 19
SPREAD_JOB, USE_MIN_NODES = 1 << 8, 1 << 9
JOB_NTASKS_SET, JOB_CPUS_SET = 1 << 14, 1 << 15
KILL_JOB_RESV = 1 << 8
OPEN_MODE_APPEND, OPEN_MODE_TRUNCATE = 1, 2
JOB_SHARED_NONE, JOB_SHARED_OK, JOB_SHARED_USER, JOB_SHARED_MCS = 0, 1, 2, 3
SLURM_DIST_ARBITRARY, SLURM_DIST_PLANE, SLURM_DIST_UNKNOWN = 0x3, 0x4, 0x2000
SLURM_DIST_STATE_BASE = 0xFFFF
SLURM_DIST_PACK_NODES, SLURM_DIST_NO_PACK_NODES = 0x800000, 0x400000
MAIL_TYPES = {
    "BEGIN": 1 << 0, "END": 1 << 1, "FAIL": 1 << 2, "REQUEUE": 1 << 3,
    "TIME_LIMIT": 1 << 4, "TIME_LIMIT_90": 1 << 5, "TIME_LIMIT_80": 1 << 6,
    "TIME_LIMIT_50": 1 << 7, "STAGE_OUT": 1 << 8, "ARRAY_TASKS": 1 << 9,
    "INVALID_DEPEND": 1 << 10,
}
MAIL_ALL = (MAIL_TYPES["INVALID_DEPEND"] | MAIL_TYPES["BEGIN"] | MAIL_TYPES["END"]
            | MAIL_TYPES["FAIL"] | MAIL_TYPES["REQUEUE"] | MAIL_TYPES["STAGE_OUT"])
PROFILE_NOT_SET, PROFILE_NONE, PROFILE_ALL = 0, 1, 0xFFFFFFFF
PROFILES = (("energy", 0x2, "Energy"), ("task", 0x4, "Task"),
            ("lustre", 0x8, "Lustre"), ("network", 0x10, "Network"))
CPU_FREQ_LOW, CPU_FREQ_MEDIUM, CPU_FREQ_HIGH, CPU_FREQ_HIGHM1 = (
    0x80000001, 0x80000002, 0x80000003, 0x80000004)
CPU_FREQ_RANGE_FLAG = 0x80000000
CPU_GOVERNORS = {  # name prefixes as Slurm matches them -> value, display name
    "co": (0x88000000, "Conservative"), "perf": (0x82000000, "Performance"),
    "pow": (0x81000000, "PowerSave"), "user": (0x80800000, "UserSpace"),
    "onde": (0x84000000, "OnDemand"), "sched": (0x80400000, "SchedUtil"),
}
_CPU_FREQ_NAMES = {CPU_FREQ_LOW: "Low", CPU_FREQ_MEDIUM: "Medium",
                   CPU_FREQ_HIGH: "High", CPU_FREQ_HIGHM1: "Highm1",
                   **{v: n for v, n in CPU_GOVERNORS.values()}}

# Signal names as Slurm's sig_name2num knows them.
SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "ABRT": 6, "KILL": 9, "ALRM": 14,
           "TERM": 15, "USR1": 10, "USR2": 12, "URG": 23, "CONT": 18, "STOP": 19,
           "TSTP": 20, "TTIN": 21, "TTOU": 22, "XCPU": 24}
SIGRTMAX = 64


# ---------------------------------------------------------------------------
# JSON values converted as the reference's data layer converts them

class PropertyError(Exception):
    """A value a property refuses: `entries` are the error objects the
    reference reports for it (possibly none), before its own summary."""

    def __init__(self, *entries: dict):
        super().__init__(entries)
        self.entries = list(entries)


def data_error(message: str, code: int = SLURM_ERROR) -> PropertyError:
    return PropertyError({"error": message, "error_code": code})


def as_str(v) -> str:
    """A value as a string (numbers printed, true/false, null as "")."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "%f" % v
    raise ValueError("not a scalar")


def as_int(v) -> int:
    """A value as an integer: ints, floats (rounded to even), integer strings."""
    if isinstance(v, bool) or v is None:
        raise ValueError("not a number")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return -(1 << 63)
        return round(v)
    if isinstance(v, str) and words.INT.match(v):
        return convert.saturate(convert.integer(v))
    raise ValueError("not an integer")


def as_bool(v) -> bool:
    """A value as a boolean, as the reference forces one: "" and null are
    false, true-ish words true, numbers by value, any other string true."""
    if isinstance(v, (list, dict)):
        raise ValueError("not a scalar")
    return words.truth(v)


def _string(v, message: str = "Unable to read string") -> str:
    try:
        s = as_str(v)
    except ValueError:
        raise data_error(message, ESLURM_DATA_CONV_FAILED) from None
    convert.cstring(s, "string")  # it ends in a C string
    return s


def _integer(v, message: str = "Unable to read integer value") -> int:
    try:
        return as_int(v)
    except ValueError:
        raise data_error(message, ESLURM_DATA_CONV_FAILED) from None


def _boolean(v) -> bool:
    try:
        return as_bool(v)
    except ValueError:
        raise PropertyError() from None


# ---------------------------------------------------------------------------
# Parsers of sbatch's option syntaxes

def strtol(s: str) -> tuple[int | None, str]:
    """C strtol(s, &end, 10): (value or None when no digits, rest)."""
    m = re.match(r"\s*([+-]?[0-9]+)", s)
    if not m:
        return None, s
    return convert.saturate(convert.integer(m.group(1))), s[m.end():]


def str_to_mbytes(s: str) -> int:
    """Megabytes of "<n>[K|M|G|T][B]" (default unit M); NO_VAL64 if invalid."""
    value, rest = strtol(s)
    if value is None or value < 0 or value >= 1 << 63:
        return NO_VAL64
    if not rest:
        return value
    unit, tail = rest[0].upper(), rest[1:]
    scale = {"K": 1, "M": 1, "G": 1024, "T": 1024 * 1024}.get(unit)
    if tail not in ("", "B", "b") or scale is None:
        return NO_VAL64
    mbytes = (value + 1023) // 1024 if unit == "K" else value * scale
    # pn_min_memory keeps its top bit for MEM_PER_CPU: more is no amount.
    return mbytes if mbytes < MEM_PER_CPU else NO_VAL64


def time_str2mins(s: str) -> int:
    return lib.slurm_time_str2mins(s.encode()) & 0xFFFFFFFF


def time_str2secs(s: str) -> int:
    return lib.slurm_time_str2secs(s.encode()) & 0xFFFFFFFF


def parse_time(s: str) -> int:
    """sbatch's --begin/--deadline syntax as epoch seconds; 0 if invalid."""
    return lib.slurm_parse_time(ffi.new("char[]", s.encode()), 0)


def parse_mail_type(s: str) -> int:
    rc, none = 0, False
    for tok in s.split(","):
        if not tok:
            continue
        t = tok.upper()
        if t == "NONE":
            rc, none = 0, True
            break
        if t == "ALL":
            rc |= MAIL_ALL
        else:
            rc |= MAIL_TYPES.get(t, 0)
    return rc if rc or none else INFINITE16


def sig_name2num(s: str) -> int:
    value, rest = strtol(s)
    if value is not None:
        return value if not rest.strip() else 0
    name = s.lstrip()
    if name[:3].upper() == "SIG":
        name = name[3:]
    for sig, num in SIGNALS.items():
        if name[:len(sig)].upper() == sig and not name[len(sig):].strip():
            return num
    return 0


def signal_opts(s: str) -> tuple[int, int, int] | None:
    """--signal=[R:]<sig>[@<secs>] outside sbatch: (signal, time, flags)."""
    flags = 0
    if s[:1] in ("R", "r"):
        flags |= KILL_JOB_RESV
        s = s[1:]
    if s.startswith(":"):
        s = s[1:]
    sig_part, at, time_part = s.partition("@")
    num = sig_name2num(sig_part) & 0xFFFF
    if num < 1:
        return None
    if not at:
        return num, 60, flags
    t, rest = strtol(time_part)
    t = 0 if t is None else t
    if t < 0 or t > 0xFFFF or rest:
        return None
    return num, t, flags


def verify_node_count(s: str) -> tuple[int, int] | None:
    def count(text: str) -> int | None:
        value, rest = strtol(text)
        if value is None:
            return None if text.strip() else -1
        if rest[:1] in ("k", "K"):
            value, rest = value * 1024, rest[1:]
        if rest[:1] in ("m", "M"):
            value, rest = value * 1024 * 1024, rest[1:]
        if value > convert.UINT32[1]:
            return None  # node counts are 32 bits
        return value if not rest.strip() else None

    if "-" in s:
        low, _, high = s.partition("-")
        lo, hi = count(low), count(high)
        if lo is None or hi is None:
            return None
        lo = 1 if lo < 0 else lo
    else:
        lo = hi = count(s)
        if lo is None or lo < 0:
            return None
    if hi and hi < lo:
        return None
    return lo, hi


_DIST_LEVELS = ({"cyclic": 1, "block": 2},
                {"cyclic": 1, "block": 2, "fcyclic": 3},
                {"cyclic": 1, "block": 2, "fcyclic": 3})


def verify_dist_type(s: str) -> tuple[int, int]:
    """(distribution, plane size) of --distribution; distribution -1 if invalid."""
    if s[:5].lower() == "plane":
        _, eq, size = s.partition("=")
        value, rest = strtol(size) if eq else (None, "")
        # plane_size is 16 bits (the reference truncates larger sizes).
        if value is None or rest or value <= 0 or value > convert.UINT16[1]:
            return -1, NO_VAL
        return SLURM_DIST_PLANE, value
    if not s or s.startswith(","):
        return -1, NO_VAL
    base, _, flag = s.partition(",")
    tokens = [t for t in base.split(":") if t]
    if not tokens or len(tokens) > 3:
        return -1, NO_VAL
    names, sock = [], "cyclic"
    for i, tok in enumerate(tokens):
        if tok == "*":
            tok = ("block", "cyclic", sock)[i]
        if i == 1:
            sock = tok
        names.append(tok.lower())
    result = -1
    if len(names) == 1 and names[0] in ("arbitrary", "hostfile"):
        result = SLURM_DIST_ARBITRARY
    elif all(n in _DIST_LEVELS[i] for i, n in enumerate(names)):
        result = sum(_DIST_LEVELS[i][n] << (4 * i) for i, n in enumerate(names))
    elif len(names) == 1 and names[0] in ("pack", "nopack"):
        result = SLURM_DIST_UNKNOWN | (SLURM_DIST_PACK_NODES if names[0] == "pack"
                                       else SLURM_DIST_NO_PACK_NODES)
    if result != -1 and flag:
        if flag.lower() == "pack":
            result |= SLURM_DIST_PACK_NODES
        elif flag.lower() == "nopack":
            result |= SLURM_DIST_NO_PACK_NODES
        else:
            result = -1
    return result, NO_VAL


def _cpu_governor(s: str) -> int:
    low = s.lower()
    for prefix, (value, _) in CPU_GOVERNORS.items():
        if low.startswith(prefix):
            return value
    return 0


def _cpu_frequency(s: str) -> int:
    low = s.lower()
    if low.startswith("lo"):
        return CPU_FREQ_LOW
    if low.startswith("him1") or low.startswith("highm1"):
        return CPU_FREQ_HIGHM1
    if low.startswith("hi"):
        return CPU_FREQ_HIGH
    if low.startswith("med"):
        return CPU_FREQ_MEDIUM
    value, rest = strtol(s)
    if value is None or rest or value <= 0 or value >= 1 << 32:
        return 0
    return value


def _allowed_governors() -> int:
    govs = slurm.conf_value("CpuFreqGovernors") or "OnDemand,Performance,UserSpace"
    allowed = 0
    for g in govs.split(","):
        allowed |= _cpu_governor(g.strip())
    return allowed


def cpu_freq(s: str) -> tuple[int, int, int] | None:
    """--cpu-freq=p1[-p2][:p3] as (min, max, governor); None if invalid."""
    fmin = fmax = gov = NO_VAL
    head, colon, p3 = s.partition(":")
    p1, dash, p2 = head.partition("-")
    g = _cpu_governor(p1)
    if g:
        if colon:
            return None
        gov = g
    else:
        fmax = _cpu_frequency(p1)
        if not fmax:
            return None
    if dash:
        f = _cpu_frequency(p2)
        if not f:
            return None
        fmin, fmax = fmax, f
        if fmax < fmin:
            return None
    if colon:
        if not dash:
            return None
        gov = _cpu_governor(p3)
        if not gov:
            return None
    if gov != NO_VAL and not (gov & _allowed_governors() & ~CPU_FREQ_RANGE_FLAG):
        return None
    return fmin, fmax, gov


def _cpu_freq_text(value: int) -> str:
    return _CPU_FREQ_NAMES.get(value, str(value))


def cpu_freq_cmdline(fmin: int, fmax: int, gov: int) -> str | None:
    parts = [None if v in (NO_VAL, 0) else _cpu_freq_text(v) for v in (fmin, fmax, gov)]
    lo, hi, g = parts
    if lo and hi and g:
        return f"{lo}-{hi}:{g}"
    if lo and hi:
        return f"{lo}-{hi}"
    return hi or g


def profile_from_string(s: str) -> int:
    low = s.lower()
    if low == "none":
        return PROFILE_NONE
    if low == "all":
        return PROFILE_ALL
    value = PROFILE_NOT_SET
    for name, bit, _ in PROFILES:
        if name in low:
            value |= bit
    return value


def profile_to_string(value: int) -> str:
    if value == PROFILE_NOT_SET:
        return "NotSet"
    if value == PROFILE_NONE:
        return "None"
    if value == PROFILE_ALL:
        return "All"
    return ",".join(label for _, bit, label in PROFILES if value & bit)


def _gres_prepend(s: str) -> str:
    return ",".join(t if t.startswith("gres:") else "gres:" + t for t in s.split(",") if t)


def _xfmt_tres(dest: str | None, prefix: str, src: str | None) -> str | None:
    if not src:
        return dest
    parts = [dest] if dest else []
    parts += [f"{prefix}:{tok}" for tok in src.split(",") if tok]
    return ",".join(parts)


_GPU_BIND = re.compile(r"(?:verbose,)?(?:closest|none|single:\d+|map_gpu:[\w,*]+|"
                       r"mask_gpu:[\w,*]+)(?:,verbose)?\Z")
_GPU_FREQ_TOKEN = re.compile(r"(?:low|medium|high|highm1|\d+|memory=(?:low|medium|high|"
                             r"highm1|\d+)|verbose)\Z")


def _gres_names(*specs: str | None) -> set[str]:
    names = set()
    for spec in specs:
        for tok in (spec or "").split(","):
            parts = tok.split(":")
            if parts and parts[0] == "gres" and len(parts) > 1:
                names.add(parts[1].split("/")[-1])
    return names


# ---------------------------------------------------------------------------
# What one job component's properties say (the reference's option record)

class Spec:
    """A job's properties as parsed, before they become a job_desc_msg_t.

    Defaults are those of sbatch's option reset; `job_desc()` applies them
    as the reference does (for a submission) or leaves unset fields alone
    (for an update).
    """

    def __init__(self):
        self.text: dict[str, str] = {}  # job_desc_msg_t char* fields set as given
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

        for attr, value in self.text.items():
            setattr(desc, attr, cstr(value))
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
        desc.user_id = NO_VAL  # the authenticated user, as slurmctld knows it
        desc.group_id = NO_VAL
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


# ---------------------------------------------------------------------------
# Writers: one per property, each as the reference's option layer reads it

def _text(attr: str, none_path: bool = False):
    """A string stored as given ("none" -> /dev/null for standard streams)."""
    def write(spec: Spec, v):
        s = _string(v)
        if none_path and s.lower() == "none":
            s = "/dev/null"
        spec.text[attr] = s
    return write


def _attr_text(attr: str):
    def write(spec: Spec, v):
        setattr(spec, attr, _string(v))
    return write


def _int_attr(attr: str, low: int = INT_MIN + 1, high: int = INT_MAX - 1):
    """An int option: refused at or beyond C int's range, or beyond
    [low, high] when its job_desc_msg_t field is narrower and not masked."""
    def write(spec: Spec, v):
        n = _integer(v)
        if n > high:
            raise data_error("Integer too large")
        if n < low:
            raise data_error("Integer too small")
        setattr(spec, attr, n)
    return write


def _flag(bit: int):
    def write(spec: Spec, v):
        spec.job_flags |= bit
    return write


def _mbytes(attr: str, message: str):
    def write(spec: Spec, v):
        s = _string(v, message + " string")
        n = str_to_mbytes(s)
        setattr(spec, attr, n)
        if n == NO_VAL64:
            raise data_error(message)
    return write


def _time(attr: str):
    def write(spec: Spec, v):
        minutes = time_str2mins(_string(v))
        if minutes == NO_VAL:
            raise data_error("Invalid time specification")
        setattr(spec, attr, INFINITE if minutes == 0 else minutes)
    return write


def _date(attr: str, message: str, code: int):
    def write(spec: Spec, v):
        t = parse_time(_string(v))
        setattr(spec, attr, t)
        if not t:
            raise data_error(message, code)
    return write


def w_argv(spec: Spec, v):
    if not isinstance(v, list):
        raise PropertyError()
    spec.argv = [_string(x) for x in v]


def w_chdir(spec: Spec, v):
    try:
        s = as_str(v)
    except ValueError:
        return  # the reference reports the failure yet carries on
    spec.chdir = s if s.startswith("/") else os.path.join(os.getcwd(), s)


def w_core_spec(spec: Spec, v):
    n = _integer(v, "Unable to read int")
    if n < 0:
        # The reference lists this error but accepts the submission.
        spec.warnings.append({"error": "Invalid core specification", "error_code": 0})
        return
    spec.core_spec = n & 0xFFFF


def w_thread_spec(spec: Spec, v):
    n = _integer(v, "Unable to read integer")
    if n >= CORE_SPEC_THREAD:
        raise data_error("core_spec is too large")
    if n <= 0:
        raise data_error("core_spec must be >0")
    spec.core_spec = n | CORE_SPEC_THREAD


def w_cpu_freq(spec: Spec, v):
    parsed = cpu_freq(_string(v))
    if parsed is None:
        raise data_error("Unable to parse CPU frequency")
    spec.cpu_freq = parsed


def w_cpus_per_task(spec: Spec, v):
    n = _integer(v)
    if n > convert.UINT16[1]:  # a uint16_t in job_desc_msg_t
        raise data_error("Integer too large")
    if n < 1:
        raise data_error("cpus per task much be greater than 0")
    spec.cpus_per_task, spec.cpus_set = n, True


def w_delay_boot(spec: Spec, v):
    secs = time_str2secs(_string(v))
    spec.delay_boot = secs
    if secs == NO_VAL:
        raise data_error("Invalid delay boot specification")


def w_distribution(spec: Spec, v):
    dist, plane = verify_dist_type(_string(v))
    if dist == -1:
        raise data_error("Invalid distribution")
    spec.distribution, spec.plane_size = dist, plane


def w_environment(spec: Spec, v):
    if not isinstance(v, dict):
        raise data_error("environment must be a dictionary")
    env: list[str] = []
    for key, value in v.items():
        try:
            env.append(f"{key}={as_str(value)}")
        except ValueError:
            raise data_error("failure parsing environment") from None
        convert.cstring(env[-1], "environment")
    spec.environment = env


def w_exclusive(spec: Spec, v):
    s = _string(v).lower()
    shared = {"exclusive": JOB_SHARED_NONE, "oversubscribe": JOB_SHARED_OK,
              "user": JOB_SHARED_USER, "mcs": JOB_SHARED_MCS}.get(s)
    if shared is None:
        raise data_error("Invalid exclusive specification")
    spec.shared = shared


def w_get_user_env(spec: Spec, v):
    if v is None:
        spec.get_user_env_time = 0
        return
    value, rest = strtol(_string(v))
    spec.get_user_env_time = value or 0
    if rest and rest[0] not in "sSlL":
        raise data_error("Invalid get user environment specification")


def w_gpu_bind(spec: Spec, v):
    s = _string(v)
    if not _GPU_BIND.match(s):
        raise data_error("Invalid --gpu-bind argument")
    spec.gpu_bind = s


def w_gpu_freq(spec: Spec, v):
    s = _string(v)
    if not s or not all(_GPU_FREQ_TOKEN.match(t) for t in s.split(",")):
        raise data_error("Invalid --gpu-freq argument")
    spec.gpu_freq = s


def w_gres(spec: Spec, v):
    s = _string(v)
    if s.lower() in ("help", "list"):
        raise data_error('GRES "help" not supported')
    spec.gres = s if s.lower() == "none" else _gres_prepend(s)


def w_gres_flags(spec: Spec, v):
    s = _string(v).lower()
    spec.job_flags &= ~(GRES_DISABLE_BIND | GRES_ENFORCE_BIND)
    if s == "disable-binding":
        spec.job_flags |= GRES_DISABLE_BIND
    elif s == "enforce-binding":
        spec.job_flags |= GRES_ENFORCE_BIND
    else:
        raise data_error("Invalid GRES flags")


def w_hold(spec: Spec, v):
    spec.hold = _boolean(v)


def w_kill_on_invalid_dep(spec: Spec, v):
    try:
        kill = as_bool(v)
    except ValueError:
        raise data_error("Unable to read boolean", ESLURM_DATA_CONV_FAILED) from None
    spec.job_flags |= KILL_INV_DEP if kill else NO_KILL_INV_DEP


def w_mail_type(spec: Spec, v):
    spec.mail_type |= parse_mail_type(_string(v))
    spec.mail_type_set = True
    if spec.mail_type == INFINITE16:
        raise data_error("Invalid mail type specification")


def w_mem_bind(spec: Spec, v):
    s = _string(v)
    if "help" in s.lower():
        raise data_error("memory binding help not supported")
    out = ffi.new("char **")
    flags = ffi.new("uint16_t *")
    rc = lib.slurm_verify_mem_bind(s.encode(), out, flags)
    bound = ffi.string(out[0]).decode() if out[0] != ffi.NULL else None
    if out[0] != ffi.NULL:
        lib.slurm_xfree(ffi.cast("void **", out))
    if rc:
        raise data_error("Invalid memory binding specification", rc)
    spec.mem_bind, spec.mem_bind_type = bound, flags[0]


def w_name(spec: Spec, v):
    spec.job_name = _string(v)
    spec.name_set = True


def w_nice(spec: Spec, v):
    if v is None:
        spec.nice = 100
        return
    n = _integer(v)
    if abs(n) >= NICE_OFFSET - 3:
        raise data_error("Nice too large")
    spec.nice = n


def w_no_kill(spec: Spec, v):
    if v is None:
        spec.no_kill = True
        return
    s = _string(v).lower()
    if s == "set":
        spec.no_kill = True
    elif s in ("off", "no"):
        spec.no_kill = False
    else:
        raise data_error("Invalid no kill specification")


def w_nodes(spec: Spec, v):
    if isinstance(v, list):
        if len(v) != 2:
            raise data_error("Invalid node count list size")
        counts = []
        for x in v:
            try:
                counts.append(as_int(x))
            except ValueError:
                raise PropertyError(
                    {"error": "Invalid node count", "error_code": ESLURM_DATA_CONV_FAILED},
                    {"error": "Invalid node count specification", "error_code": SLURM_ERROR},
                ) from None
        # As the reference: the pair sets the counts but not "nodes given".
        spec.min_nodes, spec.max_nodes = counts[0] & 0xFFFFFFFF, counts[1] & 0xFFFFFFFF
        return
    counts = verify_node_count(_string(v))
    if counts is None:
        raise data_error("Invalid node count string")
    spec.min_nodes, spec.max_nodes = counts
    spec.nodes_set = True


def w_ntasks(spec: Spec, v):
    n = _integer(v)
    if n >= INT_MAX:
        raise data_error("ntasks too large")
    if n <= 0:
        raise data_error("ntasks too small")
    spec.ntasks, spec.ntasks_set = n, True


def w_open_mode(spec: Spec, v):
    s = _string(v)
    if s[:1] in ("a", "A"):
        spec.open_mode = OPEN_MODE_APPEND
    elif s[:1] in ("t", "T"):
        spec.open_mode = OPEN_MODE_TRUNCATE
    else:
        raise data_error("Invalid open mode specification")


def w_oversubscribe(spec: Spec, v):
    spec.shared = JOB_SHARED_OK


def w_priority(spec: Spec, v):
    try:
        n = as_int(v)
    except ValueError:
        s = _string(v)
        if s.upper() != "TOP":
            raise data_error("Invalid priority") from None
        spec.priority = NO_VAL - 1
        return
    if n >= NO_VAL:
        raise data_error("Priority too large")
    if n <= 0:
        raise data_error("Priority must be >0")
    spec.priority = n


def w_profile(spec: Spec, v):
    spec.profile = profile_from_string(_string(v))


def w_requeue(spec: Spec, v):
    # The reference sets requeue whatever the value; false means false here.
    spec.requeue = 1 if _boolean(v) else 0


def w_no_requeue(spec: Spec, v):
    spec.requeue = 0


def w_signal(spec: Spec, v):
    parsed = signal_opts(_string(v))
    if parsed is None:
        raise data_error("Invalid SIGNAL specification")
    spec.signal = parsed


def w_umask(spec: Spec, v):
    m = re.match(r"\s*([+-]?[0-7]+)", _string(v))
    if not m:
        raise data_error("Invalid octal umask")
    n = int(m.group(1), 8)
    if n < 0:
        raise data_error("umask too small")
    if n > 0o7777:
        raise data_error("umask too large")
    # Accepted but, as in the reference, not passed to the job.


def w_wait_all_nodes(spec: Spec, v):
    n = _integer(v)
    if n > 1:
        raise data_error("Wait all nodes too large")
    if n < 0:
        raise data_error("Wait all nodes too small")
    spec.wait_all_nodes = n


def w_accepted(spec: Spec, v):
    """Accepted and, as in the reference, without effect on the job."""


def w_stored_text(spec: Spec, v):
    _string(v)


# ---------------------------------------------------------------------------
# The declaration: keys, JSON types, descriptions and writers

_NUM_OR_TEXT = OneOf(Int, Str)
_TIME = OneOf(Int, Str)


def P(key: str, type, description: str, write) -> Field:  # noqa: N802
    return Field(key, type, description=description, write=write)


def _same_as(key: str) -> str:
    return f"Same as `{key}`."


PROPERTIES = Obj("job_properties", [
    P("account", Str, "Charge resources used by this job to specified account.",
      _text("account")),
    P("account_gather_frequency", Str, "Define the job accounting and profiling sampling "
      "intervals.", _text("acctg_freq")),
    P("argv", Array(Str), "Arguments to the script.", w_argv),
    P("array", Str, "Submit a job array, multiple jobs to be executed with identical "
      "parameters. The indexes specification identifies what array index values should "
      "be used.", _text("array_inx")),
    P("batch_features", Str, "features required for batch script's node",
      _text("batch_features")),
    P("begin_time", Str, "Submit the batch script to the Slurm controller immediately, "
      "like normal, but tell the controller to defer the allocation of the job until the "
      "specified time (sbatch --begin syntax, e.g. \"now+1hour\" or "
      "\"2030-01-01T12:00:00\").",
      _date("begin", "Unable to parse time", ESLURM_INVALID_TIME_VALUE)),
    P("burst_buffer", Str, "Burst buffer specification.", _text("burst_buffer")),
    P("cluster_constraint", Str, "Specifies features that a federated cluster must have to "
      "have a sibling job submitted to it.", _text("cluster_features")),
    P("comment", Str, "An arbitrary comment.", _text("comment")),
    P("constraint", Str, _same_as("constraints"), _text("features")),
    P("constraints", Str, "node features required by job.", _text("features")),
    P("container", Str, "absolute path to OCI container bundle", _text("container")),
    P("core_specification", Int, "Count of specialized cores per node reserved by the job "
      "for system operations and not used by the application.", w_core_spec),
    P("cores_per_socket", Int, "Restrict node selection to nodes with at least the "
      "specified number of cores per socket.", _int_attr("cores_per_socket")),
    P("cpu_binding_hint", Str, "Cpu binding hint (accepted; it does not change the job, "
      "as with the reference).", w_stored_text),
    P("cpu_frequency", Str, "Request that job steps initiated by srun commands inside "
      "this sbatch script be run at some requested frequency if possible, on the CPUs "
      "selected for the step on the compute node(s).", w_cpu_freq),
    P("cpus_per_gpu", Int, "Number of CPUs requested per allocated GPU.",
      _int_attr("cpus_per_gpu")),
    P("cpus_per_task", Int, "Advise the Slurm controller that ensuing job steps will "
      "require ncpus number of processors per task.", w_cpus_per_task),
    P("current_working_directory", Str, "Instruct Slurm to connect the batch script's "
      "standard output directly to the file name.", w_chdir),
    P("cwd", Str, _same_as("current_working_directory"), w_chdir),
    P("deadline", Str, "Remove the job if no ending is possible before this deadline "
      "(start > (deadline - time[-min])).",
      _date("deadline", "Invalid deadline time", SLURM_ERROR)),
    P("delay_boot", _TIME, "Do not reboot nodes in order to satisfied this job's feature "
      "specification if the job has been eligible to run for less than this time period "
      "(minutes, or a time string).", w_delay_boot),
    P("dependency", Str, "Defer the start of this job until the specified dependencies "
      "have been satisfied completed.", _text("dependency")),
    P("distribution", Str, "Specify alternate distribution methods for remote processes.",
      w_distribution),
    P("environment", Map(Str), "Dictionary of environment entries.", w_environment),
    P("exclude_nodes", Str, "Explicitly exclude certain nodes from the resources granted "
      "to the job.", _text("exc_nodes")),
    P("exclusive", Enum("exclusive", "oversubscribe", "user", "mcs"), "The job allocation "
      "can not share nodes with other running jobs (or shares them only with the same "
      "user's jobs with \"user\", or by MCS label with \"mcs\").", w_exclusive),
    P("get_user_environment", OneOf(Int, Str), "Load new login environment for user on "
      "job node (seconds to wait, optionally followed by S or L, as sbatch "
      "--get-user-env).", w_get_user_env),
    P("gpu_binding", Str, "Requested binding of tasks to GPU.", w_gpu_bind),
    P("gpu_frequency", Str, "Requested GPU frequency.", w_gpu_freq),
    P("gpus", Str, "GPUs per job.", _attr_text("gpus")),
    P("gpus_per_node", Str, "GPUs per node.", _attr_text("gpus_per_node")),
    P("gpus_per_socket", Str, "GPUs per socket.", _attr_text("gpus_per_socket")),
    P("gpus_per_task", Str, "GPUs per task.", _attr_text("gpus_per_task")),
    P("gres", Str, "Specifies a comma delimited list of generic consumable resources.",
      w_gres),
    P("gres_flags", Enum("disable-binding", "enforce-binding"), "Specify generic resource "
      "task binding options.", w_gres_flags),
    P("hold", Bool, "Specify the job is to be submitted in a held state (priority of "
      "zero); false releases a held job.", w_hold),
    P("job_name", Str, _same_as("name"), w_name),
    P("kill_on_invalid_dependency", Bool, "If a job has an invalid dependency, then Slurm "
      "is to terminate it.", w_kill_on_invalid_dep),
    P("license", Str, _same_as("licenses"), _text("licenses")),
    P("licenses", Str, "Specification of licenses (or other resources available on all "
      "nodes of the cluster) which must be allocated to this job.", _text("licenses")),
    P("mail_type", Str, "Notify user by email when certain event types occur.",
      w_mail_type),
    P("mail_user", Str, "User to receive email notification of state changes as defined "
      "by mail_type.", _text("mail_user")),
    P("mcs_label", Str, "This parameter is a group among the groups of the user.",
      _text("mcs_label")),
    P("memory_binding", Str, "Bind tasks to memory.", w_mem_bind),
    P("memory_per_cpu", _NUM_OR_TEXT, "Minimum real memory per cpu (MB, or a number with "
      "a K, M, G or T suffix).", _mbytes("mem_per_cpu", "Invalid --mem-per-cpu "
                                         "specification")),
    P("memory_per_gpu", _NUM_OR_TEXT, "Minimum memory required per allocated GPU.",
      _mbytes("mem_per_gpu", "Invalid --mem-per-gpu specification")),
    P("memory_per_node", _NUM_OR_TEXT, "Minimum real memory per node (MB, or a number "
      "with a K, M, G or T suffix).", _mbytes("mem", "Invalid memory specification")),
    P("minimum_cpus_per_node", Int, "Minimum number of CPUs per node.",
      _int_attr("pn_min_cpus", high=convert.UINT16[1])),
    P("minimum_nodes", Bool, "If a range of node counts is given, prefer the smaller "
      "count (set by the key's presence).", _flag(USE_MIN_NODES)),
    P("name", Str, "Specify a name for the job allocation.", w_name),
    P("nice", Int, "Run the job with an adjusted scheduling priority within Slurm.",
      w_nice),
    P("no_kill", Str, "Do not automatically terminate a job if one of the nodes it has "
      "been allocated fails (\"set\", or \"off\"/\"no\"; null sets it).", w_no_kill),
    P("no_requeue", Bool, "The job is not to be requeued (set by the key's presence).",
      w_no_requeue),
    P("node_list", Str, _same_as("nodelist"), _attr_text("nodelist")),
    P("nodelist", Str, "Request a specific list of hosts.", _attr_text("nodelist")),
    P("nodes", OneOf(Str, Int, Array(Int)), "Request that a minimum of minnodes nodes and "
      "a maximum node count (\"min-max\", a count, or [min, max]).", w_nodes),
    P("ntasks", Int, _same_as("tasks"), w_ntasks),
    P("ntasks_per_core", Int, _same_as("tasks_per_core"), _int_attr("ntasks_per_core")),
    P("ntasks_per_gpu", Int, "Request that there are ntasks tasks invoked for every GPU.",
      _int_attr("ntasks_per_gpu", *convert.UINT16)),
    P("ntasks_per_node", Int, _same_as("tasks_per_node"), _int_attr("ntasks_per_node")),
    P("ntasks_per_socket", Int, _same_as("tasks_per_socket"),
      _int_attr("ntasks_per_socket")),
    P("ntasks_per_tres", Int, "Request that there are ntasks tasks invoked for every "
      "GPU.", _int_attr("ntasks_per_tres", *convert.UINT16)),
    P("open_mode", Enum("append", "truncate"), "Open the output and error files using "
      "append or truncate mode as specified.", w_open_mode),
    P("oversubscribe", Bool, "The job allocation can over-subscribe resources with other "
      "running jobs (set by the key's presence).", w_oversubscribe),
    P("partition", Str, "Request a specific partition for the resource allocation.",
      _text("partition")),
    P("prefer", Str, "Comma delimited list of features for scheduler to prefer but not a "
      "strict requirement like a constraint.", _text("prefer")),
    P("priority", OneOf(Int, Str), "Request a specific job priority (or \"TOP\").",
      w_priority),
    P("profile", Str, "Enables detailed data collection by the acct_gather_profile "
      "plugin (none, all, or energy, task, lustre, network).", w_profile),
    P("qos", Str, "Request a quality of service for the job.", _text("qos")),
    P("requeue", Bool, "Specifies that the batch job should be eligible for requeuing "
      "(false: not eligible).", w_requeue),
    P("reservation", Str, "Allocate resources for the job from the named reservation.",
      _text("reservation")),
    P("signal", Str, "When a job is within sig_time seconds of its end time, send it the "
      "signal sig_num ([R:]sig_num[@sig_time]).", w_signal),
    P("sockets_per_node", Int, "Restrict node selection to nodes with at least the "
      "specified number of sockets.", _int_attr("sockets_per_node")),
    P("spread_job", Bool, "Spread the job allocation over as many nodes as possible "
      "(set by the key's presence).", _flag(SPREAD_JOB)),
    P("standard_error", Str, "Instruct Slurm to connect the batch script's standard error "
      "directly to the file name.", _text("std_err", none_path=True)),
    P("standard_input", Str, "Instruct Slurm to connect the batch script's standard "
      "input directly to the file name specified.", _text("std_in", none_path=True)),
    P("standard_output", Str, "Instruct Slurm to connect the batch script's standard "
      "output directly to the file name.", _text("std_out", none_path=True)),
    P("tasks", Int, "Advises the Slurm controller that job steps run within the "
      "allocation will launch a maximum of number tasks and to provide for sufficient "
      "resources.", w_ntasks),
    P("tasks_per_core", Int, "Request the maximum ntasks be invoked on each core.",
      _int_attr("ntasks_per_core")),
    P("tasks_per_node", Int, "Request the maximum ntasks be invoked on each node.",
      _int_attr("ntasks_per_node")),
    P("tasks_per_socket", Int, "Request the maximum ntasks be invoked on each socket.",
      _int_attr("ntasks_per_socket")),
    P("temporary_disk_per_node", _NUM_OR_TEXT, "Minimum amount of temporary disk space "
      "per node (MB, or a number with a K, M, G or T suffix).",
      _mbytes("tmp_disk", "Invalid --tmp specification")),
    P("test_only", Bool, "Accepted; as with the reference, the job is submitted.",
      w_accepted),
    P("thread_specification", Int, "Count of specialized threads per node reserved by "
      "the job for system operations and not used by the application.", w_thread_spec),
    P("threads_per_core", Int, "Restrict node selection to nodes with at least the "
      "specified number of threads per core.", _int_attr("threads_per_core")),
    P("time_limit", _TIME, "Time limit in minutes, or a time string (\"1:30:00\", "
      "\"2-00:00:00\"); 0 is unlimited.", _time("time_limit")),
    P("time_minimum", _TIME, "Minimum run time in minutes, or a time string.",
      _time("time_min")),
    P("umask", Str, "Octal file creation mask (accepted; as with the reference, it does "
      "not change the job).", w_umask),
    P("wait_all_nodes", Int, "Do not begin execution until all nodes are ready for use "
      "(1) or start at once (0).", w_wait_all_nodes),
    P("wckey", Str, "Specify wckey to be used with job.", _text("wckey")),
], description="Job properties (keys are case-insensitive)", required=["environment"])

# Keys the reference knows but refuses ("Disabled key").
DISABLED = frozenset("""
accelerator_binding allocation_node_list bell burst_buffer_file cluster clusters compress
contiguous cpu_binding debugger_test disable_status epilog excluded_nodes export_file export
extra_node_info group_id help hetjob_group ignore_pbs immediate job_id kill_command
kill_on_bad_exit label max_threads message_timeout mpi multiple_program network no_allocation
no_bell nodefile no_shell overcommit parsable power_flags preserve_environment prolog
propagate pty quiet quit_on_interrupt reboot relative required_nodes required_switches
reserve_port reserve_ports slurmd_debug task_epilog task_prolog threads unbuffered unknown
usage user_id version verbose wait_for_switch wait wrap x11
""".split())


class Vocabulary:
    """The job property keys a version knows: `properties` (looked up
    case-insensitively), the keys it refuses (`disabled`), how it
    describes a key whose value it could not process (`refused`, a format
    of the lower-cased key) and the name of a submission that gives none."""

    def __init__(self, properties: Obj, disabled: frozenset, refused: str,
                 default_name: str | None = None):
        self.properties = properties
        self.writers = {key.lower(): f.write for key, f in properties.writers().items()}
        self.disabled = disabled
        self.refused = refused
        self.default_name = default_name


def _submission(properties: Obj) -> Obj:
    return Obj("job_submission", [
        Field("script", Str, description="Executable script (full contents) to run in batch "
              "step"),
        Field("job", properties),
        Field("jobs", Array(properties), description="Properties of an HetJob"),
    ], required=["script"])


SUBMIT_RESPONSE = response_obj("job_submission_response", [
    Field("job_id", Int, description="new job ID"),
    Field("step_id", Str, description="new job step ID (BATCH for a batch job)"),
    Field("job_submit_user_msg", CText, description="Message to user from job_submit "
          "plugin"),
])
CONTROL_RESPONSE = response_obj("job_control_response", [],
                                description="The outcome of a job update or signal")


# ---------------------------------------------------------------------------
# Parsing a job component as the reference does

def _parse(props, errors: list, update: bool, words: Vocabulary) -> Spec | None:
    """A Spec from one component's properties; None (with `errors` filled
    as the reference fills them) if it cannot be used."""
    spec = Spec()
    spec.warnings = errors
    if not isinstance(props, dict):
        return None
    for key, value in props.items():
        lkey = str(key)[:255].lower()
        write = words.writers.get(lkey)
        if write is None:
            if lkey in words.disabled:
                errors.append(_control_error(EPERM, f'Disabled key: "{lkey}"',
                                             "openapi specification"))
            else:
                errors.append({"description": f'Unknown key "{lkey}"', "source": "hsearch_r"})
            return None
        try:
            write(spec, value)
        except (PropertyError, convert.Invalid) as e:
            errors.extend(e.entries if isinstance(e, PropertyError) else [
                {"error": f"Invalid {lkey}: {e.reason}", "error_code": ESLURM_DATA_CONV_FAILED}])
            errors.append(_control_error(SLURM_ERROR, words.refused.format(lkey),
                                         "slurm_process_option_data"))
            return None
    if not update and spec.job_name is None:
        spec.job_name = words.default_name
    return spec


def _prepare(spec: Spec, errors: list, update: bool, keep: list):
    """The job_desc_msg_t of a parsed spec, or None (errors filled)."""
    desc = spec.job_desc(update, keep)
    if desc is None:
        return None
    if not spec.environment_for(desc, update, keep):
        errors.append({"error": "environment must be set",
                       "error_code": ESLURM_ENVIRONMENT_MISSING})
        return None
    return desc


def _fail(status_code: int, errors: list, final: int | None = None):
    if final is not None:
        errors.append({"error_code": final, "error": slurm.strerror(final)})
    raise ApiError(status_code, errors=errors, payload={})


def _status(rc: int) -> int:
    return 400 if rc in _BAD_REQUEST else 500


# ---------------------------------------------------------------------------
# Handlers

def submit_job(call, words: Vocabulary):
    body = call.body
    errors: list = []
    if body is None:
        _fail(400, errors, ESLURM_REST_INVALID_QUERY)
    script = body.get("script") if isinstance(body, dict) else None
    try:
        script = as_str(script) if script is not None else None
    except ValueError:
        script = None
    if script is not None:
        convert.cstring(script, "script")
    if script is None:
        _fail(400, errors, ESLURM_JOB_SCRIPT_MISSING)  # the reference: 500, yet the client erred
    jobs = body["job"] if "job" in body else body.get("jobs")
    if "job" not in body and "jobs" not in body:
        _fail(400, errors, ESLURM_REST_INVALID_JOBS_DESC)
    keep: list = []
    if isinstance(jobs, list):
        descs = []
        for i, props in enumerate(jobs):
            spec = _parse(props, errors, False, words)
            desc = _prepare(spec, errors, False, keep) if spec is not None else None
            if desc is None:
                errors.append(_control_error(ESLURM_REST_FAIL_PARSING,
                                             f"unexpected failure parsing het job: {i}",
                                             "_parse_job_desc"))
                _fail(400, errors, ESLURM_REST_FAIL_PARSING)
            descs.append(desc)
        if descs:
            descs[0].script = _c(script, keep)
        return _submit(descs, errors, het=True)
    if not isinstance(jobs, dict):
        _fail(400, errors, ESLURM_REST_INVALID_JOBS_DESC)
    spec = _parse(jobs, errors, False, words)
    desc = _prepare(spec, errors, False, keep) if spec is not None else None
    if desc is None:
        _fail(400, errors, ESLURM_REST_FAIL_PARSING)
    desc.script = _c(script, keep)
    return _submit([desc], errors, het=False)


def _c(s: str, keep: list):
    buf = ffi.new("char[]", s.encode())
    keep.append(buf)
    return buf


def _submit(descs: list, errors: list, het: bool) -> dict:
    slurm.init()
    out = ffi.new("submit_response_msg_t **")
    if het:
        req = lib.slurm_list_create(ffi.NULL)
        try:
            for d in descs:
                lib.slurm_list_append(req, d)
            rc = lib.slurm_submit_batch_het_job(req, out)
        finally:
            lib.slurm_list_destroy(req)
    else:
        rc = lib.slurm_submit_batch_job(descs[0], out)
    if rc:
        err = lib.slurm_get_errno() or SLURM_ERROR
        if out[0] != ffi.NULL:
            lib.slurm_free_submit_response_response_msg(out[0])
        _unless_refused(err, "slurm_submit_batch_job")
        _fail(_status(err), errors, err)
    resp = out[0]
    try:
        step = {lib.SLURM_PENDING_STEP: "PENDING", lib.SLURM_BATCH_SCRIPT: "BATCH",
                lib.SLURM_EXTERN_CONT: "EXTERN",
                lib.SLURM_INTERACTIVE_STEP: "INTERACTIVE"}.get(resp.step_id,
                                                               str(resp.step_id))
        if resp.error_code:
            errors.append({"error_code": resp.error_code,
                           "error": slurm.strerror(resp.error_code)})
        user_msg = (ffi.string(resp.job_submit_user_msg).decode("utf-8", "replace")
                    if resp.job_submit_user_msg != ffi.NULL else CText.converter()(ffi.NULL))
        # `errors` here are warnings of an accepted submission (held, ...):
        # they replace the envelope's empty list.
        return {"errors": errors, "job_id": resp.job_id, "step_id": step,
                "job_submit_user_msg": user_msg}
    finally:
        lib.slurm_free_submit_response_response_msg(resp)


def update_job(call, words: Vocabulary, job_id=str):
    job_id = job_id(call.params["job_id"])
    body = call.body
    errors: list = []
    if isinstance(body, list):
        errors.append({"description": "unexpected het job request", "source": "_parse_job_list"})
        _fail(400, errors)
    if body is None:
        body = {}
    spec = _parse(body, errors, True, words) if isinstance(body, dict) else None
    keep: list = []
    desc = _prepare(spec, errors, True, keep) if spec is not None else None
    if desc is None:
        if not isinstance(body, dict):
            errors.append(_control_error(ESLURM_REST_INVALID_JOBS_DESC, "job parsing failed",
                                         "_parse_job_list"))
        else:
            errors.append(_control_error(ESLURM_REST_FAIL_PARSING, "job parsing failed",
                                         "_parse_job_list"))
        _fail(400, errors)
    desc.job_id_str = _c(job_id, keep)
    slurm.init()
    out = ffi.new("job_array_resp_msg_t **")
    rc = lib.slurm_update_job2(desc, out)
    resp = out[0]
    try:
        if rc:
            err = _unless_refused(lib.slurm_get_errno() or SLURM_ERROR, "slurm_update_job2")
            errors.append(_control_error(err, "job update failed", "_parse_job_list"))
            _fail(500, errors)
        if resp != ffi.NULL and resp.error_code != ffi.NULL:
            codes = [resp.error_code[i] for i in range(resp.job_array_count)]
            failed = next((c for c in codes if c), 0)
            if failed:
                errors.append(_control_error(failed, "job array update failed",
                                             "_parse_job_list"))
                _fail(500, errors)
    finally:
        if resp != ffi.NULL:
            lib.slurm_free_job_array_resp(resp)
    return {"errors": errors}


def _unless_refused(err: int, call: str) -> int:
    """`err`, unless it may mean Slurm refused the request's credentials:
    that is the app's to answer (a 401 for a token), as for any SlurmError."""
    if refused_credentials(err, token=True):
        raise SlurmError(err, call)
    return err


def _control_error(errno: int, description: str, source: str) -> dict:
    """An entry of the shape job control reports in (error_number)."""
    return error_entry("error_number", errno, slurm.strerror(errno), description, source)


def signal_number(value: str | None) -> int:
    """?signal= as the reference reads it: a number or a name (SIGKILL when
    absent); 0 if it names no signal."""
    # The reference's query parser types values first: an integer is a
    # number; null, a boolean or a float is no signal at all (SIGKILL).
    typed = words.typed(value) if value else None
    if typed is None or isinstance(typed, (bool, float)):
        return 9
    if isinstance(typed, int):
        return typed if INT_MIN <= typed <= INT_MAX else 0
    return sig_name2num(value)


def cancel_job(call, job_id=str):
    job_id = job_id(call.params["job_id"])
    sig = signal_number(call.query.get("signal"))
    if sig < 1 or sig >= SIGRTMAX:
        raise ApiError(400, errors=[_control_error(ESLURM_REST_INVALID_QUERY,
                                                   f"invalid signal: {sig}",
                                                   "HTTP request: signal")], payload={})
    slurm.init()
    if lib.slurm_kill_job2(job_id.encode(), sig, lib.KILL_FULL_JOB, ffi.NULL):
        err = _unless_refused(lib.slurm_get_errno(), "slurm_kill_job2")
        if err == ESLURM_ALREADY_DONE:  # already signalled: success, as the reference
            return {}
        raise ApiError(500, errors=[_control_error(
            err, f"unable to kill JobId={job_id} with signal {sig}: {slurm.strerror(err)}",
            "slurm_kill_job")], payload={})
    return {}


_JOB_ID = Param("job_id", "path", Str, "Slurm Job ID", True)


def control_operations(words: Vocabulary, job_id=str, id_param: Param = _JOB_ID
                       ) -> list[Operation]:
    """POST /job/submit, POST and DELETE /job/{job_id}, reading `words`;
    `job_id` makes the path's job id the text Slurm is sent."""
    return [
        Operation("POST", "job/submit", "submit_job", "submit new job", "slurm",
                  lambda call: submit_job(call, words), SUBMIT_RESPONSE,
                  body=_submission(words.properties), errors="error_code"),
        Operation("POST", "job/{job_id}", "update_job",
                  "update job", "slurm", lambda call: update_job(call, words, job_id),
                  CONTROL_RESPONSE, [id_param], body=words.properties),
        Operation("DELETE", "job/{job_id}", "cancel_job",
                  "cancel or signal job", "slurm", lambda call: cancel_job(call, job_id),
                  CONTROL_RESPONSE,
                  [id_param, Param("signal", "query", OneOf(Int, Enum(*SIGNALS)),
                                  "signal to send to job (number or name, with or without "
                                  "SIG; default KILL)")]),
    ]


WORDS = Vocabulary(PROPERTIES, DISABLED, 'Unable to process key "{}"')
OPERATIONS = control_operations(WORDS)
