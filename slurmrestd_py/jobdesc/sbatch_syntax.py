"""sbatch's option syntaxes, parsed as Slurm parses them (strtol, memory
sizes, times, mail types, signals, node counts, distributions, CPU
frequencies, profiles, GRES), and the <slurm/slurm.h> values they yield."""
from __future__ import annotations

import re

from .. import convert, slurm
from ..slurm import INFINITE16, NO_VAL, NO_VAL64, ffi, lib

# <limits.h> and <slurm/slurm.h>
INT_MAX, INT_MIN = (1 << 31) - 1, -(1 << 31)
MEM_PER_CPU = 0x8000000000000000
KILL_JOB_RESV = 1 << 8
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


def gres_prepend(s: str) -> str:
    return ",".join(t if t.startswith("gres:") else "gres:" + t for t in s.split(",") if t)


# --gpu-bind and each token of --gpu-freq, as Slurm accepts them.
GPU_BIND = re.compile(r"(?:verbose,)?(?:closest|none|single:\d+|map_gpu:[\w,*]+|"
                      r"mask_gpu:[\w,*]+)(?:,verbose)?\Z")
GPU_FREQ_TOKEN = re.compile(r"(?:low|medium|high|highm1|\d+|memory=(?:low|medium|high|"
                            r"highm1|\d+)|verbose)\Z")

