"""GET, POST and DELETE /slurmdb/v0.0.40/associations/; GET and DELETE
/association/ (filters: the ASSOC_CONDITION query keys).

The association is dbv0.0.38's, its numbers as {set, infinite, number}
objects, its keys in 24.11's order. 22.05 keeps no comment and no lineage
(both "" there; 24.11's association record has them); the reference's `id` is the association's short record here and
a plain id from v0.0.41 on."""
from __future__ import annotations

from typing import Callable

from .. import words
from ..dbv0_0_38 import associations as a38
from ..kinds import NUMBER_OBJECTS, U32
from ..routes import Param
from ..schema import ArrayOf, Bool, Enum, Field, Int, Obj, Str
from ..slurm import conditions, declared, ffi, records
from ..slurmdb.qos import qos_names
from ..slurmdb.session import ENV, Conditions, answer
from ..slurmdb.writers import boolean, flag_names, no_val, unsigned
from .common import (ASSOC_SHORT, INT32, OPENAPI_RESP, TRES, Text, _tres_rows, getter, operation,
                     removed, remover, retyped)
from ..dbv0_0_38.common import read_tres_record
from ..envelope import response_40

ASSOC_FLAGS = ((a38.ASSOC_FLAG_DELETED, "DELETED"),)

ACCOUNTING = Obj("accounting", [
    Field("allocated/seconds", Int, "alloc_secs", "Number of seconds allocated"),
    Field("id", INT32, "id", "Association ID or Workload characterization key ID"),
    Field("start", Int, "period_start", "When the record was started (UNIX timestamp)"),
    Field("TRES", TRES, lambda r: _tres_rows([read_tres_record(r.tres_rec)])[0],
          "Trackable resources"),
])


def accounting(obj: Obj) -> Field:
    """The accounting records (slurmdbd sends them with usage only), read as `obj`."""
    read = obj.read
    return Field("accounting", ArrayOf("accounting_list", obj),
                 lambda r: [read(a) for a in records(r.accounting_list,
                                                     "slurmdb_accounting_rec_t *")],
                 "Accounting records containing related resource usage")


def _entry(key: str) -> Field:
    return next(e for e in a38.ASSOCIATION.entries if e.key == key)


def _numbers() -> dict[str, Field]:
    # UINT32_NO_VAL members: read as number objects, written from them.
    return {e.key: Field(e.key, e.type, e.read, e.description, no_val(e.read), e.required)
            for e in a38.ASSOCIATION.entries if e.type is U32 and e.key != "shares_raw"}


def _kept(member: str):
    """The record's `member` where this release keeps it (24.11), else ""."""
    return member if declared("slurmdb_assoc_rec_t", member) else (lambda a: "")


def _moved(key: str, replace: dict) -> Field:
    return replace.get(key) or _entry(key)


_REPLACE = {**retyped(a38.ASSOCIATION), **_numbers()}
_MOVED = ("max/tres/minutes/per/job", "max/tres/minutes/total", "max/per/account/wall_clock")

ASSOC = a38.ASSOCIATION.derive(
    "assoc", drop=["usage", *_MOVED], description="", dialect=NUMBER_OBJECTS, replace={
        **{k: v for k, v in _REPLACE.items() if k not in _MOVED},
        "account": Field("account", Text, "acct", "Account name", _entry("account").write),
        "cluster": Field("cluster", Text, "cluster", "Cluster name", _entry("cluster").write),
        "default/qos": Field("default/qos", Text, lambda a: a38._default_qos(a) or "",
                             "Default QOS", _entry("default/qos").write),
        "flags": Field("flags", ArrayOf("assoc_flags", Enum(*(n for _, n in ASSOC_FLAGS))),
                       lambda a: ["DELETED"] if a.flags & a38.ASSOC_FLAG_DELETED else [],
                       "Flags on the association", flag_names("flags", ASSOC_FLAGS)),
        "is_default": Field("is_default", Bool, lambda a: bool(a.is_def),
                            "Is default association for user", boolean("is_def")),
        "parent_account": Field("parent_account", Text, "parent_acct", "Name of parent account",
                                _entry("parent_account").write),
        "partition": Field("partition", Text, "partition", "Partition name",
                           _entry("partition").write),
        "qos": Field("qos", ArrayOf("qos_string_id_list", Str, "List of QOS names"),
                     lambda a: qos_names(a) or [], "List of available QOS names",
                     _entry("qos").write),
        "shares_raw": Field("shares_raw", INT32, "shares_raw",
                            "Allocated shares used for fairshare calculation",
                            unsigned("shares_raw", 32)),
        "user": Field("user", Text, "user", "User name", _entry("user").write, True),
    }, add=[
        (None, accounting(ACCOUNTING)),
        ("cluster", Field("comment", Text, _kept("comment"), "Arbitrary comment (22.05: none)")),
        ("max/tres/group/active", _moved("max/tres/minutes/total", _REPLACE)),
        ("max/tres/minutes/total", _moved("max/per/account/wall_clock", _REPLACE)),
        ("max/per/account/wall_clock", Field("id", ASSOC_SHORT, lambda a: ASSOC_SHORT.read(a),
                                             "Unique ID")),
        ("is_default", Field("lineage", Text, _kept("lineage"),
                             "Complete path up the hierarchy to the root association "
                             "(22.05: none)")),
        ("max/jobs/total", _moved("max/tres/minutes/per/job", _REPLACE)),
    ])
ASSOC.required = ["user"]


def assocs_resp(assoc: Obj) -> Obj:
    return response_40("openapi_assocs_resp", [
        Field("associations", ArrayOf("assoc_list", assoc), description="associations")])


# ---- the ASSOC_CONDITION query ----

# List filters: query key -> condition member.
LISTS = (("account", "acct_list"), ("cluster", "cluster_list"), ("default_qos", "def_qos_id_list"),
         ("format", "format_list"), ("id", "id_list"), ("parent_account", "parent_acct_list"),
         ("partition", "partition_list"), ("qos", "qos_list"), ("user", "user_list"))
QOS_LISTS = ("default_qos", "qos")  # names, held as ids
TIMES = (("usage_end", "usage_end"), ("usage_start", "usage_start"))
# Flags: query key in v0.0.40 and v0.0.41, in v0.0.42, condition member.
FLAGS = (("with_deleted", "Include deleted associations", "with_deleted"),
         ("with_usage", "Include usage", "with_usage"),
         ("only_defaults", "Filter to only defaults", "only_defs"),
         ("with_raw_qos", "Include the raw QOS or delta_qos", "with_raw_qos"),
         ("with_sub_accts", "Include sub acct information", "with_sub_accts"),
         ("without_parent_info", "Exclude parent id/name", "without_parent_info"),
         ("without_parent_limits", "Exclude limits from parents", "without_parent_limits"))


def params(v42: bool = False) -> list[Param]:
    flag = 1 if v42 else 0
    out = [Param(key, "query", Str, f"CSV {key} list") for key, _ in LISTS]
    out += [Param(key, "query", Str, "UNIX timestamp") for key, _ in TIMES]
    out += [Param(f[flag], "query", Str, f[1]) for f in FLAGS]
    return sorted(out, key=lambda p: p.name)


def condition(v42: bool = False) -> Callable:
    """condition(cond, query) -> slurmdb_assoc_cond_t * of a query."""
    flags = {f[1 if v42 else 0]: f[2] for f in FLAGS}

    def build(cond: Conditions, query: dict):
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
        for key, member in LISTS:
            if key in query:
                value = query[key]
                if key in QOS_LISTS:
                    value = _qos_ids(value)
                setattr(assoc_cond, member, cond.chars(value))
        for key, member in TIMES:
            if key in query:
                setattr(assoc_cond, member, words.rounded(query[key]) or 0)
        for key, member in flags.items():
            if key in query and words.truth(query[key]):
                conditions.set_flag(assoc_cond, member)
        return assoc_cond
    build.keys = {k for k, _ in LISTS} | {k for k, _ in TIMES} | set(flags)
    return build


def _qos_ids(names: str) -> str:
    """QOS names as the ids slurmdbd filters by (an unknown name matches nothing)."""
    by_name = {n.lower(): i for i, n in ENV.qos.items() if n}
    return ",".join(str(by_name.get(n.strip().lower(), 0)) for n in names.split(",") if n)


def dumper(assoc: Obj, cond: Callable, only_one: bool = False) -> Callable:
    dump = a38.dumper(assoc, cond, only_one)

    def run(db, query):
        db.qos()  # names of QOS filters
        return dump(db, query)
    return run


def remove(cond: Callable, only_one: bool = False) -> Callable:
    """remove(db, call): what the filters select. No filter at all (every
    association) and unknown keys (a misspelt filter widens the selection)
    are refused, unlike the reference."""
    def run(db, call) -> list[str]:
        db.qos()
        return a38.remove(db, call, only_one, cond, cond.keys)
    return run


def operations(assoc: Obj, v42: bool = False) -> list:
    cond, query, resp = condition(v42), params(v42), assocs_resp(assoc)
    gone = removed("openapi_assocs_removed_resp", "removed_associations")

    def delete(only_one):
        return remover(remove(cond, only_one), "removed_associations")

    def post(call):
        def build(db):
            a38.add(db, call.body, assoc)
            db.commit()
            return {}
        return answer(build)
    return [
        operation("GET", "associations/", "get_associations", "Get association list",
                  getter(dumper(assoc, cond)), resp, query),
        operation("DELETE", "associations/", "delete_associations", "Delete associations",
                  delete(False), gone, query),
        operation("POST", "associations/", "post_associations", "Set associations info",
                  post, OPENAPI_RESP, body=resp),
        operation("GET", "association/", "get_association", "Get association info",
                  getter(dumper(assoc, cond, True)), resp, query),
        operation("DELETE", "association/", "delete_association", "Delete association",
                  delete(True), gone, query),
    ]


OPERATIONS = operations(ASSOC)


def _ignored(rec, value, store) -> None:
    """A key 22.05 keeps nothing for (an association's comment)."""


# The association settings of an accounts_association/ or users_association/
# body: the association's own members under sacctmgr's names.
REC_SET_KEYS = (
    ("comment", "comment"), ("defaultqos", "default/qos"), ("grpjobs", "max/jobs/per/count"),
    ("grpjobsaccrue", "max/jobs/per/accruing"), ("grpsubmitjobs", "max/jobs/per/submitted"),
    ("grptres", "max/tres/total"), ("grptresmins", "max/tres/group/minutes"),
    ("grptresrunmins", "max/tres/group/active"), ("grpwall", "max/per/account/wall_clock"),
    ("maxjobs", "max/jobs/active"), ("maxjobsaccrue", "max/jobs/accruing"),
    ("maxsubmitjobs", "max/jobs/total"), ("maxtresminsperjob", "max/tres/minutes/per/job"),
    ("maxtresrunmins", "max/tres/minutes/total"), ("maxtresperjob", "max/tres/per/job"),
    ("maxtrespernode", "max/tres/per/node"), ("maxwalldurationperjob", "max/jobs/per/wall_clock"),
    ("minpriothresh", "min/priority_threshold"), ("parent", "parent_account"),
    ("priority", "priority"), ("qoslevel", "qos"), ("fairshare", "shares_raw"))


def _rec_set_field(name: str, key: str) -> Field:
    f = next(e for e in ASSOC.entries if e.key == key)
    f = f.renamed(name)
    return Field(name, f.type, f.read, f.description, f.write or _ignored)


ASSOC_REC_SET = Obj("assoc_rec_set", [_rec_set_field(n, k) for n, k in REC_SET_KEYS],
                    dialect=NUMBER_OBJECTS)
