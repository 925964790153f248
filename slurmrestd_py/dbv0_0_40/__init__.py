"""/slurmdb/v0.0.40 (and v0.0.41 where its shape is the same)."""
