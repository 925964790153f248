"""/slurm/v0.0.40 (and what v0.0.41 and v0.0.42 share with it): Slurm 24.11's
shapes, read from the same records as v0.0.38."""
