"""/slurmdb/v0.0.41: only what differs from v0.0.40."""
