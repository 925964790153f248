"""/slurm/v0.0.41: where it is neither v0.0.40's nor v0.0.42's shape alone."""
