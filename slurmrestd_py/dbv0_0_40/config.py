"""GET and POST /slurmdb/v0.0.40/config: every area at once, as 24.11's
reference reads them (deleted records included, associations and
coordinators with accounts and users) and stores them (in its order,
committed together). v0.0.41 and v0.0.42 build the same from their own
records (`config_operations`)."""
from __future__ import annotations

from typing import Callable

from ..dbv0_0_38 import accounts as a38, associations as as38, users as u38, wckeys as w38
from ..dbv0_0_38 import qos as q38
from ..envelope import response_40
from ..schema import ArrayOf, Field, Obj
from ..slurmdb.session import DbError, answer
from . import accounts, associations, clusters, qos, tres, users, wckeys
from .common import OPENAPI_RESP, TRES_LIST, operation
from .instances import INSTANCE

_TRUE = "true"


def areas(account: Obj, user: Obj, qos_obj: Obj, wckey: Obj, assoc: Obj,
          assoc_cond: Callable) -> tuple:
    """(key, listed type, read(db) -> list, add(db, body)) of each area, in
    the reference's order, with the records of a version."""
    everything = {"with_deleted": _TRUE, "with_assocs": _TRUE, "with_coords": _TRUE}
    return (
        ("clusters", ArrayOf("cluster_rec_list", clusters.CLUSTER),
         lambda db: clusters.dump(db)["clusters"], clusters.add),
        ("tres", TRES_LIST, lambda db: tres.dump(db)["TRES"], tres.add),
        ("accounts", ArrayOf("account_list", account),
         lambda db: accounts.dumper({k: k for k in everything})(db, everything)["accounts"],
         lambda db, body: a38.add(db, body, account)),
        ("users", ArrayOf("user_list", user),
         lambda db: users.dumper(user)(db, everything)["users"], u38.adder(user)),
        ("qos", ArrayOf("qos_list", qos_obj),
         lambda db: qos.dumper(qos_obj)(db, {}, None, True)["qos"],
         q38.adder(qos_obj, "qos")),
        ("wckeys", ArrayOf("wckey_list", wckey),
         lambda db: wckeys.dumper(wckey)(db, {"with_deleted": _TRUE,
                                              "with_usage": _TRUE})["wckeys"],
         lambda db, body: w38.add(db, body, wckey)),
        ("associations", ArrayOf("assoc_list", assoc),
         lambda db: associations.dumper(assoc, assoc_cond)(db, {
             "with_deleted": _TRUE, "with_usage": _TRUE, "with_raw_qos": _TRUE,
             "with_sub_accts": _TRUE})["associations"],
         lambda db, body: as38.add(db, body, assoc)),
    )


def config_operations(config_areas: tuple) -> list:
    resp = response_40("openapi_slurmdbd_config_resp", [
        *(Field(key, listed, description=key) for key, listed, _, _ in config_areas),
        Field("instances", ArrayOf("instance_list", INSTANCE), description="instances"),
    ])

    def dump(db) -> dict:
        out = {}
        try:
            for key, _, read, _ in config_areas:
                out[key] = read(db)
        except DbError as e:
            e.payload = {}  # the reference dumps nothing unless every query worked
            raise
        out["instances"] = []  # (22.05 keeps none; the reference does not ask)
        return out

    def post(call):
        def build(db):
            body = call.body if isinstance(call.body, dict) else {}
            for key, _, _, add in config_areas:
                # An empty or absent list changes nothing (TRES only then).
                if body.get(key):
                    add(db, body)
            db.commit()
            return {}
        return answer(build)

    return [
        operation("GET", "config", "get_config", "Dump all configuration information",
                  lambda call: answer(dump), resp),
        operation("POST", "config", "post_config", "Load all configuration information",
                  post, OPENAPI_RESP, body=resp),
    ]


OPERATIONS = config_operations(areas(accounts.ACCOUNT, users.USER, qos.QOS, wckeys.WCKEY,
                                     associations.ASSOC, associations.condition()))
