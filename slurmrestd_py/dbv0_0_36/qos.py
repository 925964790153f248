"""/slurmdb/v0.0.36 QOS: dbv0.0.37's without `limits/factor`, and with the
running-jobs limits per account and user at the paths later versions use
for the submitted-jobs ones (which this version does not show)."""
from __future__ import annotations

from ..dbv0_0_38 import qos
from ..kinds import U32
from ..dbv0_0_38.common import W
from ..dbv0_0_37.common import everything

QOS = qos.QOS.derive(drop=["limits/factor", "limits/max/jobs/per/account",
                           "limits/max/jobs/per/user"], replace={
    "limits/max/jobs/active_jobs/per/account": W(
        "limits/max/jobs/per/account", U32, "max_jobs_pa", "Max running jobs per account"),
    "limits/max/jobs/active_jobs/per/user": W(
        "limits/max/jobs/per/user", U32, "max_jobs_pu", "Max running jobs per user")})
dump, add = qos.dumper(QOS, everything), qos.adder(QOS)
OPERATIONS = qos.qos_operations(QOS, dump, [])
