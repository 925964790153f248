"""GET /slurmdb/v0.0.38/tres."""
from __future__ import annotations

from ..schema import Field
from .common import TRES_LIST, answer, operation, partial, read_tres_record, response

TRES_INFO = response("tres_info", [Field("TRES", TRES_LIST, description="TRES")])


def dump(db, query=None) -> dict:
    # The reference answers 200 even when the query fails, without "TRES".
    with partial({}, status=200):
        found = db.tres()
    return {"TRES": [read_tres_record(t) for t in found]}


def get_tres(call):
    return answer(dump)


OPERATIONS = [operation("GET", "/tres", "get_tres", "Get TRES info", get_tres, TRES_INFO)]
