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
