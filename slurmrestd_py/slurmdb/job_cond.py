"""A slurmdb_job_cond_t's flags and Lists as libslurm and sacct fill them:
job and step ids (`add_steps`), job states (`add_states`). The same for
every /slurmdb version, which names the query keys that fill them."""
from __future__ import annotations

from .. import convert, slurm
from ..errors import ESLURM_REST_INVALID_QUERY
from ..slurm import lib
from .session import DbError

# <slurm/slurmdb.h> and <slurm/slurm.h>
JOBCOND_FLAG_DUP = 1 << 0
JOBCOND_FLAG_NO_STEP = 1 << 1
JOBCOND_FLAG_NO_TRUNC = 1 << 2
JOBCOND_FLAG_WHOLE_HETJOB = 1 << 4
JOBCOND_FLAG_NO_WAIT = 1 << 6
JOBCOND_FLAG_NO_DEFAULT_USAGE = 1 << 7
SLURMDB_JOB_FLAG_NOTSET = 1 << 0
JOB_STATE_BASE = 0xFF
JOB_END = 12


def _step_spec_ok(token: str) -> bool:
    """Whether libslurm's step parser takes `token` (it exits the process
    on a bad one: the reference dies; we answer an error)."""
    if not token[:1].isdigit() or not token[:1].isascii():
        return False
    name, dot, rest = token.partition(".")
    plus_after_dot = False
    if dot:
        if rest not in ("batch", "extern", "interactive") and not (
                rest[:1].isdigit() and rest[:1].isascii()):
            return False
        plus_after_dot = "+" in rest
    for mark in ("_", "+"):
        if mark == "+" and plus_after_dot:
            break
        i = name.find(mark)
        if i >= 0:
            nxt = name[i + 1:i + 2]
            return nxt.isdigit() and nxt.isascii()
    return True


def add_steps(lst, value: str, source: str, status: int = 500) -> None:
    """Job and step ids ("12", "12.batch", "12_3", "12+1") into a step List,
    as slurm_addto_step_list reads them; a bad one is DbError(`status`)
    with `source`."""
    tokens = [t for t in value.replace('"', "").replace("'", "").split(",") if t]
    if not all(_step_spec_ok(t) for t in tokens) or \
            lib.slurm_addto_step_list(lst, value.encode()) < 1 and not \
            lib.slurm_list_count(lst):
        raise DbError(ESLURM_REST_INVALID_QUERY, source, "Unable to parse job/step format",
                      status, payload={})


def add_states(lst, value: str) -> int:
    """Job states (names or numbers) into a List as numbers, as sacct's
    state list is read: stop at the first that is not a base state. What
    slurm_addto_char_list returned last (0: nothing added)."""
    rc = 0
    for token in value.split(","):
        if not token:
            continue
        if token[0].isdigit() and token[0].isascii():
            state = convert.integer(token[:len(token) - len(token.lstrip("0123456789"))])
            if state >= (1 << 64) - 1:  # strtoul's ULONG_MAX
                break
            state &= 0xFFFFFFFF
        else:
            state = lib.slurm_job_state_num(token.encode())
            if state == slurm.NO_VAL:
                break
            state &= JOB_STATE_BASE
        if state >= JOB_END:
            break
        rc = lib.slurm_addto_char_list(lst, str(state).encode())
    return rc
