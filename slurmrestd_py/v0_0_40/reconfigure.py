"""GET /slurm/v0.0.40/reconfigure/ (v0.0.41 and v0.0.42 serve the same):
ask slurmctld to reread its configuration. Only root and SlurmUser may;
slurmctld refuses anyone else, and the answer carries its error."""
from __future__ import annotations

from .. import slurm
from ..envelope import response_40
from ..errors import SlurmError
from ..routes import Operation
from ..slurm import lib

RESPONSE = response_40("openapi_resp", [])


def reconfigure(call) -> dict:
    slurm.init()
    if lib.slurm_reconfigure():
        raise SlurmError(lib.slurm_get_errno(), "op_handler_reconfigure",
                         "slurm_reconfigure() failed")
    return {}


OPERATIONS = [
    Operation("GET", "reconfigure/", "get_reconfigure", "request slurmctld reconfigure", "slurm",
              reconfigure, RESPONSE),
]
