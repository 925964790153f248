"""The /slurmdb/v0.0.36 API: only what differs from dbv0.0.37, derived from its
declarations (versions.py serves dbv0.0.37's and dbv0.0.38's modules where
nothing differs)."""
