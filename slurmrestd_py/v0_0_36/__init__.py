"""The /slurm/v0.0.36 API: only what differs from v0.0.37, derived from its
declarations (and v0.0.38's, where v0.0.37 has none of its own)."""
