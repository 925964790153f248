"""/slurm/v0.0.41: only what differs from v0.0.40 (most of it serves v0_0_40's modules)."""
