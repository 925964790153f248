"""dbv0_0_41.jobs: an accounted job's stream path with its %-fields expanded,
by the rules of 24.11's slurmrestd for slurmdb jobs."""
from types import SimpleNamespace

import pytest

from slurmrestd_py.dbv0_0_41.jobs import _expand
from slurmrestd_py.slurm import NO_VAL, ffi


def _job(**numbers):
    keep = {k: ffi.new("char[]", v.encode()) for k, v in
            (("jobname", "sleepy"), ("user", "alice"), ("work_dir", "/home/alice"))}
    return SimpleNamespace(**{"jobid": 1234, "array_job_id": 0, "array_task_id": NO_VAL,
                              "steps": ffi.NULL, **keep, **numbers})


@pytest.mark.parametrize("path, expanded", [
    ("/dev/null", "/dev/null"),
    ("/tmp/%x-%j-%u.out", "/tmp/sleepy-1234-alice.out"),
    ("/o/%J.%A.%a.%b", "/o/1234.1234.4294967294.4"),
    ("out-%5j.txt", "/home/aliceout-01234.txt"),  # work_dir joined with no "/"
    ("/o/%12j", "/o/0000001234"),                 # widths over 9 are 10
    ("/o/%05j", "/o/5j"),                         # no field after one digit: the digit
    ("/o/%5q", "/o/5q"),
    ("/o/%q", "/o/%q"),
    ("/o/100%%", "/o/100%"),
    ("/o/a%", "/o/a"),
    ("/o/%N-%s-%n-%t", "/o/(null)-(null)-0-0"),   # no step: printf's NULL
    ("/o/\\%j\\", "/o/%j"),                       # a backslash: no expansion
])
def test_expand(path, expanded):
    assert _expand(_job(), path) == expanded


def test_expand_array_task():
    assert _expand(_job(array_job_id=1200, array_task_id=17), "/o/%A_%3a.%b") == "/o/1200_017.7"
