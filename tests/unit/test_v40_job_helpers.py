"""v0_0_40's job helpers: job id texts, stream paths, the job state query."""
from __future__ import annotations

import types

import pytest

from slurmrestd_py.slurm import ffi
from slurmrestd_py.v0_0_40 import job_ids, job_paths, job_state
from slurmrestd_py.v0_0_40.job_ids import NO_VAL


@pytest.mark.parametrize("text, parts", [
    ("123", (123, NO_VAL, NO_VAL, NO_VAL)),
    ("123_4", (123, 4, NO_VAL, NO_VAL)),
    ("123+1", (123, NO_VAL, 1, NO_VAL)),
    ("123.batch", (123, NO_VAL, NO_VAL, 0xFFFFFFFB)),
    ("123.EXTERN", (123, NO_VAL, NO_VAL, 0xFFFFFFFC)),
    ("123_4.0", (123, 4, NO_VAL, 0)),
    ("123.0+1", (123, NO_VAL, NO_VAL, 0)),
])
def test_job_ids_name_their_parts(text, parts):
    sel = job_ids.parse(text)
    assert (sel.job_id, sel.array_task_id, sel.het_job_offset, sel.step_id) == parts


@pytest.mark.parametrize("text", ["", "0", "-1", "abc", "12x", "123_", "123_[1-3]", "123_1+1",
                                  "123+", "123+1_2", "123.", "123.x", "4294967293", "123+129"])
def test_job_ids_that_name_no_job(text):
    assert job_ids.parse(text) is None


def _job(**kw):
    strings = {k: (ffi.new("char[]", v.encode()) if v is not None else ffi.NULL)
               for k, v in kw.items() if k in ("std_out", "std_err", "std_in", "work_dir", "name")}
    base = dict(job_id=42, array_job_id=0, array_task_id=NO_VAL, user_id=0, batch_flag=1,
                std_out=ffi.NULL, std_err=ffi.NULL, std_in=ffi.NULL, name=ffi.NULL,
                work_dir=ffi.new("char[]", b"/home/a"))
    return types.SimpleNamespace(**{**base, **kw, **strings, "_keep": strings})


@pytest.mark.parametrize("pattern, path", [
    ("out-%j.txt", "/home/a/out-42.txt"),
    ("/abs/%x_%u.%5j", "/abs/n_root.00042"),
    ("%%j-%A-%a-%b", "/home/a/%j-42-4294967294-4"),
    ("%10j", "/home/a/0000000042"),
    ("%q%", "/home/a/%q%"),
])
def test_stream_paths_expand_as_24_11(pattern, path):
    assert job_paths.stdout(_job(std_out=pattern, name="n")) == path


def test_stream_path_defaults():
    assert job_paths.stdout(_job()) == "/home/a/slurm-42.out"
    assert job_paths.stderr(_job(std_out="o")) == "/home/a/o"
    assert job_paths.stdin(_job()) == "/dev/null"
    assert job_paths.stdout(_job(array_job_id=40, array_task_id=2)) == "/home/a/slurm-40_2.out"
    assert job_paths.stdout(_job(batch_flag=0)) == job_paths.stdin(_job(batch_flag=0)) == ""


def _rec(job_id, array_job_id=0, array_task_id=NO_VAL, tasks=(), het_job_id=0,
         het_job_offset=NO_VAL, state=0):
    rec = object.__new__(job_state.Record)
    rec.job_id, rec.array_job_id, rec.array_task_id = job_id, array_job_id, array_task_id
    rec.tasks, rec.het_job_id, rec.het_job_offset = list(tasks), het_job_id, het_job_offset
    rec.state = state
    return rec


RECORDS = [
    _rec(10), _rec(20, 20, NO_VAL, (2, 3)), _rec(21, 20, 0), _rec(22, 20, 1),
    _rec(30, het_job_id=30, het_job_offset=0), _rec(31, het_job_id=30, het_job_offset=1),
]


@pytest.mark.parametrize("query, names", [
    ("", ["10", "20_2", "20_3", "21_0", "22_1", "30+0", "31+1"]),
    ("10", ["10"]), ("20", ["20_2", "20_3", "21_0", "22_1"]), ("20_1", ["22_1"]),
    ("20_3", ["20_2", "20_3"]), ("20_9", []), ("21", ["21_0"]),
    ("30", ["30+0", "31+1"]), ("30+1", ["31+1"]), ("30+0", ["30+0"]), ("31", ["31+1"]),
    ("99", []), ("10,10", ["10", "10"]),
])
def test_job_state_selection(query, names):
    filters = [job_ids.parse(q) for q in query.split(",")] if query else []
    assert [name for name, _ in job_state.states(RECORDS, filters)] == names
