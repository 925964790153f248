"""What several /slurmdb/v0.0.37 areas share."""
from __future__ import annotations


def everything(query: dict, strict: bool = True) -> int:
    """The with_deleted rule of this version: no query is read, and deleted
    accounts, users and QOS are always listed."""
    return 1
