"""The /slurmdb/v0.0.38 API: one module per area, each declaring its OPERATIONS without a
version (versions.py lists the modules and binds their operations)."""
