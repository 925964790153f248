"""GET /slurm/v0.0.41/licenses/ and /diag/: v0.0.40's licenses, v0.0.42's
statistics (its /ping/ is v0.0.40's, versions.py)."""
from __future__ import annotations

from ..v0_0_40 import diag as v40
from ..v0_0_42 import diag as v42

OPERATIONS = [v42.DIAG_OPERATION, v40.LICENSES_OPERATION]
