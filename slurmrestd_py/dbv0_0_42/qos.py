"""GET and POST /slurmdb/v0.0.42/qos/, GET and DELETE /qos/{qos}:
v0.0.40's QOS with the group limits on submitted jobs and on TRES minutes
(GrpSubmitJobs, GrpTRESMins), its deleted-QOS query key named as 24.11's
flag ("Include deleted QOS")."""
from __future__ import annotations

from ..dbv0_0_40 import qos as v40
from ..dbv0_0_40.common import TRES_LIST, number_inputs, tres_field
from ..dbv0_0_38.common import W
from ..kinds import U32
from ..routes import Param
from ..schema import Field, Str
from ..slurmdb.tres import tres_string

QOS = number_inputs(v40.QOS.derive(add=[
    ("limits/max/active_jobs/count", W("limits/max/jobs/count", U32, "grp_submit_jobs",
                                       "GrpSubmitJobs")),
    ("limits/max/tres/total", Field("limits/max/tres/minutes/total", TRES_LIST,
                                    tres_field("grp_tres_mins"), "GrpTRESMins",
                                    tres_string("grp_tres_mins"))),
]))
QUERY = [p if p.name != "with_deleted" else Param("Include deleted QOS", "query", Str,
                                                   "Include deleted QOS")
         for p in v40.QUERY]
OPERATIONS = v40.qos_operations(QOS, QUERY)
