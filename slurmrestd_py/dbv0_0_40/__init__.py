"""/slurmdb/v0.0.40 (and, where the shape is the same, v0.0.41 and v0.0.42)."""
