"""/slurm/v0.0.42 (and v0.0.41) nodes/ and node/{node_name}: v0.0.40's, with
each node's GPU core reservations, and the removed external_sensors and
power written in place."""
from __future__ import annotations

from ..schema import Field
from ..v0_0_40 import nodes as v40
from ..kinds import TEXT
from ..v0_0_40.nodes import INT32

# 22.05 has neither RestrictedCoresPerGPU nor its CPU list: "" and 0.
NODE = v40.NODE.derive(
    replace={
        "external_sensors": Field("external_sensors", v40.Removed(), lambda n: {}),
        "power": Field("power", v40.Removed(), lambda n: {}),
    },
    add=[
        ("active_features", Field("gpu_spec", TEXT, lambda n: "",
                                  "CPU cores reserved for jobs that also use a GPU")),
        ("real_memory", Field("res_cores_per_gpu", INT32, lambda n: 0,
                              "Number of CPU cores per GPU restricted to GPU jobs")),
    ])
OPERATIONS = v40.node_operations(NODE, shows_values=True)
