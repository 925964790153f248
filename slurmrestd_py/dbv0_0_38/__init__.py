"""The /slurmdb/v0.0.38 API: one module per area, each declaring its OPERATIONS without a
version (versions.py lists the modules and binds their operations)."""
PLUGIN = "dbv0.0.38"  # the prefix of its schema names
