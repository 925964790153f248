"""POST /slurm/v0.0.37/job/submit, POST and DELETE /job/{job_id}: v0.0.38's,
with v0.0.37's property names (`cpu_binding hint`, `msc_label` and
`time minimum` as it spells them; no `container` or `prefer`),
`oversubscribe` refused, and its wording for a value it cannot process."""
from __future__ import annotations

from ..jobdesc.control import Vocabulary
from ..v0_0_38 import job_control

PROPERTIES = job_control.PROPERTIES.derive(
    drop=["container", "prefer", "oversubscribe"],
    rename={"cpu_binding_hint": "cpu_binding hint", "mcs_label": "msc_label",
            "time_minimum": "time minimum"})
WORDS = Vocabulary(PROPERTIES, job_control.DISABLED | {"oversubscribe"}, 'Unknown key "{}"')
OPERATIONS = job_control.control_operations(WORDS)
