"""/slurmdb/v0.0.42: only what differs from v0.0.40 and v0.0.41."""
