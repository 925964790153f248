"""What the C values of slurmdbd's job and step records are called, as
libslurm names them (job states and reasons, task layouts, special step ids,
signals), and a step's hosts: the same for every /slurmdb version, which
only puts them under its keys."""
from __future__ import annotations

import signal

from ..slurm import Cached, ffi, hostnames, lib


def _c_name(ptr) -> str | None:
    return None if ptr == ffi.NULL else ffi.string(ptr).decode("utf-8", "replace")


def _layout_name(dist: int) -> str | None:
    ptr = lib.slurm_step_layout_type_name(dist)  # xmalloc'd
    try:
        return _c_name(ptr)
    finally:
        if ptr != ffi.NULL:
            lib.slurm_xfree(ffi.new("void **", ptr))


# The names repeat across a list's records: computed once each.
state_name = Cached(lambda v: _c_name(lib.slurm_job_state_string(v)))
reason_name = Cached(lambda v: _c_name(lib.slurm_job_reason_string(v)))
layout_name = Cached(_layout_name)


def signal_name(sig: int) -> str:
    try:
        return signal.strsignal(sig) or f"Unknown signal {sig}"
    except ValueError:
        return f"Unknown signal {sig}"


def step_hosts(step) -> list[str]:
    """The names of a step's nodes, in its hostlist's order."""
    return hostnames(step.nodes)


def step_id(v: int):
    """A step id, or the name of a special one (batch, extern, ...)."""
    return _STEP_NAMES.get(v, v)


_STEP_NAMES = {lib.SLURM_EXTERN_CONT: "extern", lib.SLURM_BATCH_SCRIPT: "batch",
               lib.SLURM_PENDING_STEP: "pending", lib.SLURM_INTERACTIVE_STEP: "interactive"}


# JOB_* state flags of <slurm/slurm.h> in the order v0.0.40 and later list
# them after the base state.
JOB_STATE_FLAGS = ((1 << 8, "LAUNCH_FAILED"), (1 << 10, "REQUEUED"), (1 << 11, "REQUEUE_HOLD"),
                   (1 << 12, "SPECIAL_EXIT"), (1 << 13, "RESIZING"), (1 << 14, "CONFIGURING"),
                   (1 << 15, "COMPLETING"), (1 << 16, "STOPPED"), (1 << 17, "RECONFIG_FAIL"),
                   (1 << 18, "POWER_UP_NODE"), (1 << 19, "REVOKED"), (1 << 20, "REQUEUE_FED"),
                   (1 << 21, "RESV_DEL_HOLD"), (1 << 22, "SIGNALING"), (1 << 23, "STAGE_OUT"))


def job_states(v: int) -> list[str]:
    """A job state as a list: its base state's name, then its flags'."""
    return [state_name(v & 0xFF)] + [name for bit, name in JOB_STATE_FLAGS if v & bit]


# Signals named as Slurm's sig_num2name names them (others by number).
_SHORT = ("HUP", "INT", "QUIT", "ABRT", "KILL", "ALRM", "TERM", "CHLD", "USR1", "USR2", "PIPE",
          "URG", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "XCPU")
_SIGNUMS = {int(getattr(signal, "SIG" + n)): n for n in reversed(_SHORT)}


def signal_short_name(sig: int) -> str:
    return _SIGNUMS.get(sig, str(sig))


# CPU_FREQ_* of <slurm/slurm.h>: named frequencies and governors.
_CPU_FREQ = {0x80000001: "Low", 0x80000002: "Medium", 0x80000004: "Highm1",
             0x80000003: "High", 0x88000000: "Conservative", 0x82000000: "Performance",
             0x81000000: "PowerSave", 0x80800000: "UserSpace", 0x84000000: "OnDemand",
             0x80400000: "SchedUtil"}


def cpu_freq_name(v: int) -> str:
    """A requested CPU frequency (kHz) or governor as Slurm's
    cpu_freq_to_string writes it: a name ("Unknown" for NO_VAL, as there), "0", or the number
    with its unit (2400000 kHz: "2.40G")."""
    v &= 0xFFFFFFFF
    if v in _CPU_FREQ:
        return _CPU_FREQ[v]
    if v & 0x80000000:
        return "Unknown"
    if v == 0:
        return "0"
    n, unit = float(v), 1
    while n >= 1000:
        n /= 1000
        unit += 1
    suffix = "\0KMGTP?"[min(unit, 6)].strip("\0")
    return f"{int(n)}{suffix}" if n == int(n) else f"{n:.2f}{suffix}"
