"""Slurm 24.11's job state query (slurm_load_job_state, which 22.05's
slurmctld does not have), answered from the job list: which records a job
id selects and how each is named.

A record's name: "<id>+<offset>" for a hetjob component, "<id>" for a plain
job, "<id>_*" for an array record without a task id, "<id>_<task>" for an
array task; a pending array record is written once per pending task
("<id>_<task>" each). Job id filters select as 24.11's slurmctld does: a
job's id, all of its array or hetjob; "<id>_<task>" that task (or, while it is
pending, its array's record with every pending task); "<id>+<offset>" that
component.
"""
from __future__ import annotations

from ..slurm import ffi, lib
from .job_ids import NO_VAL, Selected

INFINITE = 0xFFFFFFFF


def _bits(bitmap) -> list[int]:
    """The set bits of a bitstr_t."""
    if bitmap == ffi.NULL:
        return []
    return [i for i in range(lib.slurm_bit_size(bitmap)) if lib.slurm_bit_test(bitmap, i)]


class Record:
    """What the state query keeps of a job record."""
    __slots__ = ("job_id", "array_job_id", "array_task_id", "tasks", "het_job_id",
                 "het_job_offset", "state")

    def __init__(self, job):
        self.job_id, self.array_job_id = job.job_id, job.array_job_id
        self.array_task_id, self.state = job.array_task_id, job.job_state
        self.tasks = _bits(job.array_bitmap)  # the pending tasks of an array's meta record
        self.het_job_id, self.het_job_offset = job.het_job_id, job.het_job_offset


def _named(rec: Record):
    """(name, state) of each entry `rec` is written as."""
    if rec.tasks:
        for task in rec.tasks:
            yield f"{rec.job_id}_{task}", rec.state
    elif rec.het_job_id:
        yield f"{rec.job_id}+{(rec.job_id - rec.het_job_id) & 0xFFFFFFFF}", rec.state
    elif not rec.array_job_id:
        yield str(rec.job_id), rec.state
    elif rec.array_task_id in (NO_VAL, INFINITE):
        yield f"{rec.job_id}_*", rec.state
    else:
        yield f"{rec.job_id}_{rec.array_task_id}", rec.state


def _selected(records: list[Record], sel: Selected) -> list[Record]:
    """The records one job id filter selects, in list order."""
    if sel.array_task_id != NO_VAL:
        found = next((r for r in records if r.array_job_id == sel.job_id
                      and r.array_task_id == sel.array_task_id), None)
        if found is None:  # a task still pending: its array's record, all its tasks
            return [r for r in records if r.array_job_id == sel.job_id
                    and sel.array_task_id in r.tasks][:1]
        if found.array_job_id != found.job_id:
            return [found]
        return [r for r in records if r.array_job_id == found.array_job_id
                and r.array_task_id == sel.array_task_id]
    wanted = sel.job_id + (0 if sel.het_job_offset == NO_VAL else sel.het_job_offset)
    found = next((r for r in records if r.job_id == wanted), None)
    if found is None:
        return []
    if found.het_job_id and found.het_job_id == found.job_id:  # a hetjob's leader
        return [r for r in records if r.het_job_id == found.het_job_id and (
            sel.het_job_offset == NO_VAL or r.het_job_offset == sel.het_job_offset)]
    if found.array_job_id != found.job_id:
        return [found]
    return [r for r in records if r.array_job_id == found.array_job_id]


def states(records: list[Record], filters: list[Selected]):
    """(name, state word) of every entry the query answers, in order."""
    chosen = records if not filters else [r for sel in filters for r in _selected(records, sel)]
    for rec in chosen:
        yield from _named(rec)
