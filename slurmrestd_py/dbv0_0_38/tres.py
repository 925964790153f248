"""GET /slurmdb/v0.0.38/tres; POST, which changes nothing (as the reference)."""
from __future__ import annotations

from ..errors import ESLURM_NOT_SUPPORTED
from ..schema import Field, Obj
from ..slurmdb.session import DbError, answer, partial
from .common import TRES_LIST, addition, operation, read_tres_record, response

TRES_INFO = response("tres_info", [Field("TRES", TRES_LIST, description="TRES")])


def dump(db, query=None) -> dict:
    # The reference answers 200 even when the query fails, without "TRES".
    with partial({}, status=200):
        found = db.tres()
    return {"TRES": [read_tres_record(t) for t in found]}


def get_tres(call):
    return answer(dump)


def add(db, body) -> None:
    raise DbError(ESLURM_NOT_SUPPORTED, description="Updating TRES is not currently supported.",
                  payload={})


OPERATIONS = [
    operation("GET", "/tres", "get_tres", "Get TRES info", get_tres, TRES_INFO),
    addition("/tres", "update_tres", "Set TRES info",
             Obj("tres_update", [Field("TRES", TRES_LIST)]), "response_tres", add),
]
