"""GET /slurmdb/v0.0.41/diag/ (v0.0.42 the same): v0.0.40's statistics with
the rollups by period (hourly, daily, monthly), each whether it ran or not."""
from __future__ import annotations

from ..dbv0_0_40.common import INT32, INT64
from ..dbv0_0_40.diag import diag_operations, statistics
from ..errors import ESLURM_DATA_CONV_FAILED
from ..schema import Field, Inline, Obj
from ..slurm import ffi
from ..slurmdb.session import DbError

PERIODS = ("hourly", "daily", "monthly")  # DBD_ROLLUP_HOUR, _DAY, _MONTH

ROLLUPS = Obj("rollup_stats", [
    Field(period, Inline([
        Field("count", INT32, description=f"Number of {period} rollups since last_run"),
        Field("last_run", INT64, description=f"Last time {period} rollup ran (UNIX timestamp)"),
        Field("duration/last", INT64, description=f"Total time spent doing last {period} "
                                                  "rollup (seconds)"),
        Field("duration/max", INT64, description=f"Longest {period} rollup time (seconds)"),
        Field("duration/time", INT64, description=f"Total time spent doing {period} rollups "
                                                  "(seconds)"),
    ]))
    for period in PERIODS], "Rollup statistics")


def rollups(stats) -> dict:
    r = stats.dbd_rollup_stats
    if r == ffi.NULL:
        raise DbError(ESLURM_DATA_CONV_FAILED, "slurmdb_get_stats")
    return {period: {"count": r.count[i], "last_run": r.timestamp[i],
                     "duration": {"last": r.time_last[i], "max": r.time_max[i],
                                  "time": r.time_total[i]}}
            for i, period in enumerate(PERIODS)}


OPERATIONS = diag_operations(statistics(ROLLUPS, rollups))
