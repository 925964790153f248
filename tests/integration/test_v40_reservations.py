"""GET /slurm/v0.0.40-42/reservations/ and /reservation/{name}: our answers
valid against our document, beside our v0.0.38 records of the same
reservations, and against the Slurm 24.11 reference, which holds the same
reservations (this module creates them on both clusters and deletes them;
on 24.11, conftest.SAME_CLUSTER24, once on ours' cluster, which both read).

The reservations sit on the ghost nodes and start hours from now. Two
clusters create them a moment apart: start and end times are compared as
durations there; everything else must be equal (on 24.11 everything).
"""
from __future__ import annotations

import contextlib
import subprocess

import pytest

import doc40
from conftest import (SAME_CLUSTER24, created, json_of, one, reference24_doc, req,
                      require_reference24, roots, run_ours, run_reference24, scontrol, shape,
                      validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")
PREFIX = "rpy40_"
# name -> scontrol create arguments (test_reservations.py's, under other names)
FIXTURES = {
    "rpy40_maint": ["starttime=now+1hour", "duration=60", "nodes=ghost2", "users=alice",
                    "flags=maint,ignore_jobs,daily,no_hold_jobs_after_end"],
    "rpy40_lic": ["starttime=now+2hours", "duration=30", "accounts=physics,chem",
                  "licenses=matlab:1", "flags=any_nodes,purge_comp=5:00,magnetic"],
    "rpy40_part": ["starttime=now+3hours", "duration=1-00:00:00", "partition=ghosts",
                   "nodes=ghost1", "groups=alice", "features=foo", "maxstartdelay=10",
                   "flags=weekday,overlap,flex"],
    "rpy40_hourly": ["starttime=now+5hours", "duration=10", "nodes=ghost2", "users=alice",
                     "flags=hourly,overlap"],
}


def scontrol_in(root):
    """scontrol on the cluster of `root` (None: ours')."""
    if root is None:
        return scontrol
    return lambda *args, check=True: subprocess.run(
        ["chroot", root, "scontrol", *args], capture_output=True, text=True, check=check,
        timeout=60)


def _on_both():
    try:
        require_reference24()
    except pytest.skip.Exception:
        return (scontrol,)
    return tuple(scontrol_in(root) for root in roots())


@pytest.fixture(scope="module", autouse=True)
def reservations():
    with contextlib.ExitStack() as stack:
        for run in _on_both():
            stack.enter_context(created(FIXTURES, "reservationname", ("reservation",), run))
        yield


def get(path, runner=run_ours):
    resp = one(runner(req(path=path, close=True)))
    if resp.status != 304:
        assert resp.content_type == "application/json"
    return resp, (json_of(resp) if resp.body else None)


def ours_only(records):
    return {r["name"]: r for r in records if r["name"].startswith(PREFIX)}


def comparable(record):
    """A record with its start and end times (a moment apart on two
    clusters) replaced by its duration; on 24.11 (one cluster) as it is."""
    if SAME_CLUSTER24:
        return record
    out = dict(record)
    start, end = out.pop("start_time"), out.pop("end_time")
    out["duration"] = end["number"] - start["number"]
    return out


def paths(version):
    return [f"/slurm/{version}/reservations/", f"/slurm/{version}/reservation/{{reservation_name}}"]


# ---- our answers ----

@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("name", [None, "rpy40_lic", "RPY40_Maint"])
def test_valid_against_our_document(version, name, openapi_doc):
    path = f"/slurm/{version}/reservations/" if name is None else \
        f"/slurm/{version}/reservation/{name}"
    resp, data = get(path)
    assert resp.status == 200
    assert list(data) == ["reservations", "last_update", "meta", "errors", "warnings"]
    assert data["errors"] == data["warnings"] == []
    template = paths(version)[name is not None]
    validate(openapi_doc, (template, "get", 200), data)
    names = [r["name"] for r in data["reservations"]]
    if name is None:
        assert set(FIXTURES) <= set(names)
    else:  # whatever the case, the one record
        assert names == [name.lower()]
    last = data["last_update"]
    assert last["set"] and not last["infinite"] and last["number"] > 1.6e9


@pytest.mark.parametrize("version", PARSERS)
def test_records_beside_v0_0_38(version):
    records = ours_only(get(f"/slurm/{version}/reservations/")[1]["reservations"])
    old = ours_only(get("/slurm/v0.0.38/reservations")[1]["reservations"])
    assert set(records) == set(old) == set(FIXTURES)
    for name, r in records.items():
        o = old[name]
        for key in ("accounts", "burst_buffer", "core_count", "features", "groups", "licenses",
                    "max_start_delay", "name", "node_count", "node_list", "partition",
                    "tres", "users"):
            assert r[key] == o[key], (name, key)
        for key in ("start_time", "end_time"):
            assert r[key] == {"set": True, "infinite": False, "number": o[key]}
        # Same flags, in 24.11's order; PURGE_COMP is a flag again.
        assert set(r["flags"]) == set(o["flags"]) | ({"PURGE_COMP"} if "purge_completed" in o
                                                     else set())
        # purge_completed always (v0.0.38: only with PURGE_COMP); watts removed in 24.11.
        assert r["purge_completed"]["time"]["set"] is True
        if "purge_completed" in o:
            assert r["purge_completed"]["time"]["number"] == o["purge_completed"]["time"] == 300
        assert r["watts"] == {}
        assert r["core_specializations"] == []
    assert records["rpy40_part"]["flags"] == ["OVERLAP", "SPEC_NODES", "WEEKDAY", "FLEX"]
    assert records["rpy40_hourly"]["flags"] == ["OVERLAP", "SPEC_NODES", "HOURLY"]


@pytest.mark.parametrize("version", PARSERS)
def test_unknown_reservation(version, openapi_doc):
    resp, data = get(f"/slurm/{version}/reservation/rpy40_nope")
    assert resp.status == 422
    assert list(data) == ["errors", "warnings", "meta"]
    assert data["errors"] == [{"description": "Unable to find reservation rpy40_nope",
                               "error_number": 9000,
                               "error": "Query empty or not RFC7320 compliant",
                               "source": "op_handler_reservation"}]


@pytest.mark.parametrize("version", PARSERS)
def test_update_time(version):
    """v0.0.42 reads a number; v0.0.40 and v0.0.41 only a time ("now")."""
    base = f"/slurm/{version}/reservations/?update_time="
    assert get(base + "now")[0].status == 304
    resp, data = get(base + "12")
    if version == "v0.0.42":
        assert resp.status == 200 and set(FIXTURES) <= set(ours_only(data["reservations"]))
        assert get(base + "4102444800")[0].status == 304
    else:
        assert resp.status == 500
        assert [e["source"] for e in data["errors"]] == ["#/update_time/",
                                                         "op_handler_reservations"]


# ---- the document and the 24.11 reference ----

def test_document_as_reference24(openapi_doc):
    ref = reference24_doc()
    for path in (p for v in PARSERS for p in paths(v)):
        doc40.assert_declared_alike(openapi_doc, ref, path)


@pytest.mark.parametrize("version", PARSERS)
def test_list_same_as_reference24(version):
    path = f"/slurm/{version}/reservations/"
    ref_resp, ref = get(path, run_reference24)
    resp, data = get(path)
    assert (resp.status, ref_resp.status) == (200, 200)
    assert list(data) == list(ref)
    # (meta: test_v40.py's)
    assert shape(data["reservations"]) == shape(ref["reservations"])
    assert shape(data["last_update"]) == shape(ref["last_update"])
    ours, theirs = ours_only(data["reservations"]), ours_only(ref["reservations"])
    assert set(ours) == set(theirs) == set(FIXTURES)
    for name in FIXTURES:
        assert list(ours[name]) == list(theirs[name])
        assert comparable(ours[name]) == comparable(theirs[name]), name
    if SAME_CLUSTER24:  # one cluster: every reservation, and when they changed
        assert data["reservations"] == ref["reservations"]
        # The controller moves last_update by itself (a reservation starting
        # or ending) between the two requests: ours, asked second, is no older.
        assert data["last_update"]["number"] >= ref["last_update"]["number"]


@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("name", ["rpy40_part", "RPY40_LIC", "rpy40_nope"])
def test_one_same_as_reference24(version, name):
    path = f"/slurm/{version}/reservation/{name}"
    ref_resp, ref = get(path, run_reference24)
    resp, data = get(path)
    assert resp.status == ref_resp.status
    assert list(data) == list(ref)
    assert data["errors"] == ref["errors"]
    if resp.status == 200:
        assert [comparable(r) for r in data["reservations"]] == \
            [comparable(r) for r in ref["reservations"]]


@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("value", ["now", "12", "4102444800", "abc", "", "null", "1.5",
                                   "true", "2030-01-01"])
def test_update_time_same_as_reference24(version, value):
    path = f"/slurm/{version}/reservations/?update_time={value}"
    ref_resp, ref = get(path, run_reference24)
    resp, data = get(path)
    assert resp.status == ref_resp.status
    if ref is None:
        assert data is None
        return
    assert list(data) == list(ref)
    assert data["errors"] == ref["errors"]
