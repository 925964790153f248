"""slurmrestd-py: Slurm's REST API (v0.0.38) served by Python over libslurm."""
__version__ = "0.1.0"
