"""GET /slurmdb/v0.0.40/tres/ (v0.0.41 and v0.0.42 the same); POST, which
changes nothing (as the reference)."""
from __future__ import annotations

from ..envelope import response_40
from ..errors import ESLURM_NOT_SUPPORTED
from ..schema import Field
from ..slurmdb.session import DbError, answer, partial
from .common import TRES_LIST, operation, read_tres_record

TRES_RESP = response_40("openapi_tres_resp", [Field("TRES", TRES_LIST, description="TRES")])
RESP = response_40("openapi_resp", [])


def dump(db, query=None) -> dict:
    # As v0.0.38: a failed query still answers 200, without "TRES".
    with partial({}, status=200):
        found = db.tres()
    return {"TRES": [read_tres_record(t) for t in found]}


def add(db, body) -> None:
    raise DbError(ESLURM_NOT_SUPPORTED, "op_handler_tres",
                  "Updating TRES is not currently supported", payload={})


OPERATIONS = [
    operation("GET", "tres/", "get_tres", "get list of TRES", lambda call: answer(dump),
              TRES_RESP),
    operation("POST", "tres/", "post_tres", "Add TRES", lambda call: answer(add, call.body),
              RESP, body=TRES_RESP),
]
