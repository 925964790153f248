"""/slurm/v0.0.41: where it is neither v0.0.40 nor v0.0.42."""
