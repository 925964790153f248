"""Readers of slurmdb record members that declarations name: a bit set as
the names of its set bits, a List as the records an object reads. What a
record holds is the same in every /slurmdb version; the tables and objects
are the version's."""
from __future__ import annotations

from typing import Callable

from ..schema import Obj
from ..slurm import records


def flags(attr: str, table) -> Callable:
    """A reader of the names in `table` ((bit, name), in the reference's
    order) whose bit is set in `attr`."""
    def read(o):
        bits = getattr(o, attr)
        return [name for bit, name in table if bits & bit]
    return read


def list_of(obj: Obj, attr: str, ctype: str) -> Callable:
    """A reader of a List member as a list of `obj` records."""
    read = obj.read
    return lambda o: [read(r) for r in records(getattr(o, attr), ctype)]
