"""/slurmdb/v0.0.41 where it differs from v0.0.40."""
