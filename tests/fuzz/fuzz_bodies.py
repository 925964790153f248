"""Fuzz target: request bodies (JSON, YAML, urlencoded) through media.py into
every body parser: job submission and update (jobdesc/, v0.0.38's keys) and
each slurmdb addition (dbv0_0_38, into real C records), with the RPCs and
slurmdbd replaced by stand-ins.

Holds when: each body is parsed, or refused as a client error (400-415),
never with an exception of any other kind and never a 5xx."""
from __future__ import annotations

import json

import atheris

with atheris.instrument_imports():
    from slurmrestd_py import media
    from slurmrestd_py.convert import Invalid
    from slurmrestd_py.dbv0_0_38 import config
    from slurmrestd_py.errors import ApiError, HttpError
    from slurmrestd_py.jobdesc import control
    from slurmrestd_py.slurm import ffi
    from slurmrestd_py.slurmdb.session import ENV, DbError
    from slurmrestd_py.slurmdb.writers import Store
    from slurmrestd_py.v0_0_38.job_control import WORDS

MEDIA = ("application/json", "application/x-yaml", "application/x-www-form-urlencoded")
AREAS = [(key, add) for key, _, _, add in config.AREAS if key != "TRES"]  # TRES: refused
_KEEP = Store()


class _Db:
    """slurmdbd's stand-in: two TRES, two QOS; additions and changes do nothing."""

    def tres(self):
        made = []
        for i, (ttype, name) in enumerate((("cpu", None), ("gres", "gpu")), 1):
            t = _KEEP.new("slurmdb_tres_rec_t *")
            t.id, t.type = i, _KEEP.string(ttype)
            t.name = _KEEP.string(name) if name else ffi.NULL
            made.append(t)
        ENV.set_tres(made)

    def qos(self):
        made = []
        for i, name in enumerate(("normal", "high"), 1):
            q = _KEEP.new("slurmdb_qos_rec_t *")
            q.id, q.name = i, _KEEP.string(name)
            made.append(q)
        ENV.qos_list = _KEEP.list(made)
        ENV.set_qos(made)

    def add(self, call, *args):
        pass

    def modify(self, call, cond, rec):
        return []

    def get(self, call, cond, ctype):
        return []

    def commit(self):
        pass


def _submitted(descs, errors, het):
    return {"errors": errors, "job_id": 1, "step_id": "BATCH", "job_submit_user_msg": None}


control._submit = _submitted  # the RPC: not fuzzed here


def _update(props) -> None:
    errors, keep = [], []
    spec = control._parse(props, errors, True, WORDS)
    if spec is not None:
        control._prepare(spec, errors, True, keep)


SEEDS = [bytes([k]) + json.dumps(v).encode() for k, v in (
    (0, {"script": "#!/bin/sh\n", "job": {"environment": {"A": "1"}, "nodes": "1-2",
                                          "distribution": "plane=4", "memory_per_cpu": "1G"}}),
    (3, {"time_limit": "1:00", "comment": "x", "cpus_per_task": 2, "signal": "R:USR1@30"}),
    (6, {"clusters": [{"name": "c", "flags": ["FEDERATION"]}]}),
    (9, {"accounts": [{"name": "a", "description": "d", "organization": "o"}]}),
    (12, {"users": [{"name": "u", "default": {"account": "a"}, "administrator_level": "None",
                     "coordinators": [{"name": "a"}]}]}),
    (15, {"QOS": [{"name": "q", "usage_factor": 1.5, "priority": 3,
                   "limits": {"max": {"tres": {"per": {"job": [{"type": "cpu", "count": 4}]}}}},
                   "preempt": {"list": ["normal"], "mode": ["CANCEL"]}}]}),
    (18, {"wckeys": [{"name": "w", "cluster": "c", "user": "u", "id": 1}]}),
    (21, {"associations": [{"account": "a", "cluster": "c", "user": "u", "qos": ["high"],
                            "max": {"jobs": {"per": {"wall_clock": 10}}}}]}),
)] + [b"\x01script: '#!/bin/sh'\njob:\n  environment: {A: b}\n  nodes: 2\n",
      b"\x02script=%23!/bin/sh&job=x"]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    kind, raw = data[0], data[1:]
    try:
        body = media.parse_body(MEDIA[kind % 3], raw)
    except HttpError as e:
        assert 400 <= e.status <= 415, e
        return
    where = kind // 3 % (2 + len(AREAS))
    try:
        if where == 0:
            control.submit_job(type("Call", (), {"body": body}), WORDS)
        elif where == 1:
            _update(body)
        else:
            ENV.reset()
            ENV.errors = []
            AREAS[where - 2][1](_Db(), body)
    except ApiError as e:
        assert e.status == 400, (e.status, e.errors)
    except DbError as e:
        assert e.status == 400, (e.status, e.errno, e.description)
    except Invalid:
        pass
