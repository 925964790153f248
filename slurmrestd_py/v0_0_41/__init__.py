"""/slurm/v0.0.41: only what differs from both v0.0.40 and v0.0.42."""
