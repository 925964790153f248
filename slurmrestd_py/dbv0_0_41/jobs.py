"""GET /slurmdb/v0.0.41/jobs/ and /job/{job_id}: v0.0.40's jobs with their
planned time and standard streams (24.11's accounting keeps the paths, written
as given and with their %-fields expanded; 22.05's keeps none: ""), and fewer
documented query keys (the reference's parser still reads them)."""
from __future__ import annotations

from ..dbv0_0_40.jobs import JOB as JOB_40, PARAMS, UNDOCUMENTED_41, job_operations, planned
from ..kinds import U64
from ..schema import Field, Str
from ..slurm import declared, records, text

# The %-fields of an accounted job's stream path, as 24.11's slurmrestd expands
# them (sacct's expansion, not the controller's: there is no live job).
_WILDCARDS = "AabJjNnstux"


def _c_str(value: str | None) -> str:
    return "(null)" if value is None else value  # what printf's %s makes of NULL


def _field(job, letter: str, width: int) -> str:
    if letter in "Nsnt":  # of the first step; a range's first value (0) for %n, %t
        if letter in "nt":
            return "0"
        steps = records(job.steps, "slurmdb_step_rec_t *")
        step = next(steps, None)
        steps.close()  # frees the List's iterator now
        return _c_str(step and text(step.nodes if letter == "N" else step.stepname))
    if letter in "ux":
        return _c_str(text(job.user if letter == "u" else job.jobname))
    number = {"A": job.array_job_id or job.jobid, "a": job.array_task_id,
              "b": job.array_task_id % 10}.get(letter, job.jobid)  # %J as %j
    return str(number).zfill(width)


def _expand(job, path: str) -> str:
    """`path` with its %-fields replaced, after the work_dir (joined with no
    "/", as the reference does) when relative; a "\\" anywhere means no
    expansion, each "\\" dropped."""
    out = [] if path.startswith("/") else [text(job.work_dir) or ""]
    if "\\" in path:
        return "".join(out) + path.replace("\\", "")
    n, p = len(path), 0
    while p < n:
        c = path[p]
        p += 1
        if c != "%":
            out.append(c)
            continue
        if p >= n:  # a final "%" is dropped
            break
        if path[p] == "%":
            out.append("%")
            p += 1
            continue
        width = 0
        if path[p].isdigit():
            end = p
            while end < n and path[end].isdigit():
                end += 1
            # A width over 9 counts as 10 and takes all its digits; else one.
            width, after = (10, end) if int(path[p:end]) > 9 else (int(path[p]), p + 1)
            if after >= n or path[after] not in _WILDCARDS:
                out.append(path[end - 1])  # no field: the last digit is kept alone
                p = end
                continue
            p = after
        letter = path[p]
        out.append(_field(job, letter, width) if letter in _WILDCARDS else "%" + letter)
        p += 1
    return "".join(out)


def _stream(member: str, expanded: bool):
    """The record's stream path `member` (expanded) where this release keeps
    it (24.11), else ""."""
    if not declared("slurmdb_job_rec_t", member):
        return lambda j: ""

    def read(job) -> str:
        path = text(getattr(job, member)) or ""
        return _expand(job, path) if expanded and path else path
    return read


_STREAMS = (("stdin_expanded", "std_in", "Job stdin with expanded fields"),
            ("stdout_expanded", "std_out", "Job stdout with expanded fields"),
            ("stderr_expanded", "std_err", "Job stderr with expanded fields"),
            ("stdout", "std_out", "Path to stdout file"),
            ("stderr", "std_err", "Path to stderr file"),
            ("stdin", "std_in", "Path to stdin file"))
JOB = JOB_40.derive(add=[
    ("time/end", Field("time/planned", U64, planned, "Time required to start job after "
                       "becoming eligible to run in seconds")),
    *((after, Field(key, Str, _stream(member, key.endswith("_expanded")), what))
      for after, (key, member, what) in zip(["script"] + [k for k, _, _ in _STREAMS],
                                            _STREAMS)),
])
PARAMS_41 = [p for p in PARAMS if p.name not in UNDOCUMENTED_41]
OPERATIONS = job_operations(JOB, PARAMS_41)
