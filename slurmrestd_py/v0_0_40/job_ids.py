"""What a job id text names, as Slurm 24.11 reads one ("123", "123_4",
"123+1", "123.batch", "123_4.0"; its unfmt_job_id_string without array
ranges, which its REST parser refuses): the job, array task, hetjob
component and step. 22.05's libslurm has no such reader."""
from __future__ import annotations

import re

NO_VAL = 0xFFFFFFFE
MAX_FED_JOB_ID = 0xFFFFFFFD
MAX_HET_JOB_COMPONENTS = 128
MAX_NORMAL_STEP_ID = 0xFFFFFFF0
STEP_NAMES = {"TBD": 0xFFFFFFFD, "extern": 0xFFFFFFFC, "batch": 0xFFFFFFFB,
              "interactive": 0xFFFFFFFA}

_NUMBER = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+")  # what strtol reads


class Selected:
    """A job id text read: NO_VAL where a part is not given."""
    __slots__ = ("job_id", "array_task_id", "het_job_offset", "step_id")

    def __init__(self, job_id: int, array_task_id: int = NO_VAL, het_job_offset: int = NO_VAL,
                 step_id: int = NO_VAL):
        self.job_id, self.array_task_id = job_id, array_task_id
        self.het_job_offset, self.step_id = het_job_offset, step_id


def _strtol(text: str, pos: int) -> tuple[int | None, int]:
    m = _NUMBER.match(text, pos)
    return (int(m.group()), m.end()) if m else (None, pos)


def parse(text: str) -> Selected | None:
    """The parts `text` names, or None when it names no job."""
    job, end = _strtol(text, 0)
    if job is None or not 0 < job < MAX_FED_JOB_ID:
        return None
    sel = Selected(job)
    if text.startswith("_", end):
        task, after = _strtol(text, end + 1)
        if task is None or task < 0 or text.startswith("[", end + 1):
            return None
        sel.array_task_id, end = task, after
    if text.startswith("+", end):
        if sel.array_task_id != NO_VAL:
            return None
        het, after = _strtol(text, end + 1)
        if het is None or not 0 <= het <= MAX_HET_JOB_COMPONENTS or text.startswith("_", after):
            return None
        sel.het_job_offset, end = het, after
    if end == len(text):
        return sel
    if text[end] != ".":
        return None
    step, after = _strtol(text, end + 1)
    if step is None:
        rest = text[end + 1:]
        name = next((n for n in STEP_NAMES if rest[:len(n)].lower() == n.lower()), None)
        if name is None:
            return None
        step, after = STEP_NAMES[name], end + 1 + len(name)
    elif not 0 <= step < MAX_NORMAL_STEP_ID:
        return None
    sel.step_id = step
    # A step's hetjob component ("+1") is read and ignored: jobs are not steps.
    if after == len(text) or text[after] == "+" and sel.het_job_offset == NO_VAL and (
            after + 1 == len(text) or re.fullmatch(r"[0-9]+", text[after + 1:])):
        return sel
    return None
