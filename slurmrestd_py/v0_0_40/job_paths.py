"""A job's standard stream paths as Slurm 24.11's libslurm gives them
(slurm_get_job_stdout and friends, which 22.05 lacks): the job's file name
pattern with %A %a %b %j %u %x replaced, relative to its working directory,
and the batch defaults (slurm-<id>.out, /dev/null) where none was given."""
from __future__ import annotations

from .. import slurm
from ..slurm import ffi

NO_VAL = 0xFFFFFFFE


def _text(ptr) -> str | None:
    return ffi.string(ptr).decode("utf-8", "replace") if ptr != ffi.NULL else None


def _c_str(value: str | None) -> str:
    return "(null)" if value is None else value  # what printf's %s makes of NULL


def _expand(job, pattern: str) -> str:
    """`pattern` with its replacements, then made absolute under work_dir."""
    out: list[str] = []
    n, p, q = len(pattern), 0, 0
    while p < n:
        if pattern[p] != "%":
            p += 1
            continue
        offset, width = 1, 0
        if p + 1 < n and pattern[p + 1] == "%":  # "%%": one "%"
            out.append(pattern[q:p + 1])
            p += 2
            q = p
            continue
        if p + 1 < n and pattern[p + 1].isdigit():
            end = p + 1
            while end < n and pattern[end].isdigit():
                end += 1
            # A width over 9 counts as 10, and as two digits wide in the pattern.
            width, offset = (10, 3) if int(pattern[p + 1:end]) > 9 else (int(pattern[p + 1:end]), 2)
            p = end
            if p >= n:
                break
        else:
            p += 1
        value = _field(job, pattern[p] if p < n else "")
        if value is not None:
            out.append(pattern[q:p - offset])
            out.append(value.zfill(width) if isinstance(value, _Number) else value)
            q = p + 1
    if p != q:
        out.append(pattern[q:p])
    path = "".join(out)
    return path if path.startswith("/") else f"{_c_str(_text(job.work_dir))}/{path}"


class _Number(str):
    """A number's digits, zero-padded to the pattern's width."""
    __slots__ = ()


def _field(job, letter: str):
    if letter == "A":
        return _Number(job.job_id if job.array_task_id == NO_VAL else job.array_job_id)
    if letter == "a":
        return _Number(job.array_task_id)
    if letter == "b":
        return _Number(job.array_task_id % 10)
    if letter == "j":
        return _Number(job.job_id)
    if letter == "u":
        return slurm.user_or_null[job.user_id] or "nobody"
    if letter == "x":
        return _c_str(_text(job.name))
    return None


def _batch_default(job) -> str:
    work_dir = _c_str(_text(job.work_dir))
    if job.array_job_id:
        return f"{work_dir}/slurm-{job.array_job_id}_{job.array_task_id}.out"
    return f"{work_dir}/slurm-{job.job_id}.out"


def stdout(job) -> str:
    if job.std_out != ffi.NULL:
        return _expand(job, _text(job.std_out))
    return "" if job.batch_flag == 0 else _batch_default(job)


def stderr(job) -> str:
    if job.std_err != ffi.NULL:
        return _expand(job, _text(job.std_err))
    return stdout(job)


def stdin(job) -> str:
    if job.std_in != ffi.NULL:
        return _expand(job, _text(job.std_in))
    return "" if job.batch_flag == 0 else "/dev/null"
