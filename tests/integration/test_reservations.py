"""GET /slurm/v0.0.38/reservations and /reservation/{name}: slurmrestd-py
against the reference, on reservations this module creates (and deletes).

The reservations sit on the ghost nodes (no slurmd) and start hours from now,
so they hold nothing other tests use. What is compared: status, the whole
JSON data of both answers (the reservation records do not move between two
calls), key order, and every answer validates against our served document;
under v0.0.38 and v0.0.37 (`api`), whose flag names lack HOURLY.
"""
from __future__ import annotations

import time

import pytest

import conftest
from conftest import (API, APIS, created, declared_alike, one, req, run_ours, run_reference, scontrol)

PREFIX = "rpy_"
# name -> scontrol create arguments
FIXTURES = {
    "rpy_maint": ["starttime=now+1hour", "duration=60", "nodes=ghost2", "users=alice",
                  "flags=maint,ignore_jobs,daily,no_hold_jobs_after_end"],
    "rpy_lic": ["starttime=now+2hours", "duration=30", "accounts=physics,chem",
                "licenses=matlab:1", "flags=any_nodes,purge_comp=5:00,magnetic"],
    "rpy_part": ["starttime=now+3hours", "duration=1-00:00:00", "partition=ghosts",
                 "nodes=ghost1", "groups=alice", "features=foo", "maxstartdelay=10",
                 "flags=weekday,overlap,flex"],
    # HOURLY: a flag v0.0.37 does not name.
    "rpy_hourly": ["starttime=now+5hours", "duration=10", "nodes=ghost2", "users=alice",
                   "flags=hourly,overlap"],
}
INVALID = {"error": "Requested reservation is invalid", "errno": 2053}
LIST_PATH = f"{API}/reservations"
ONE_PATH = f"{API}/reservation/{{reservation_name}}"


@pytest.fixture(scope="module", autouse=True)
def reservations():
    with created(FIXTURES, "reservationname", ("reservation",)):
        yield


def ours_only(records):
    return [r for r in records if r["name"].startswith(PREFIX)]


def check_same(path, openapi_doc, template, status=200, api=API):
    data = conftest.check_same(path, openapi_doc, template, "reservations", status, api=api)
    return data and data[1]


# ---- the list ----

@pytest.mark.cluster22
@pytest.mark.parametrize("path", [LIST_PATH, LIST_PATH + "/", LIST_PATH + "?update_time=0"])
@pytest.mark.parametrize("api", APIS)
def test_list_same_as_reference(path, openapi_doc, api):
    data = check_same(path, openapi_doc, LIST_PATH, api=api)
    assert {r["name"] for r in ours_only(data["reservations"])} == set(FIXTURES)


def test_records_as_the_reference_renders_them():
    resp = one(run_ours(req(path=LIST_PATH, close=True)))
    assert resp.status == 200
    records = {r["name"]: r for r in ours_only(resp.json()["reservations"])}
    maint, lic, part = records["rpy_maint"], records["rpy_lic"], records["rpy_part"]
    # Flags in the reference's own order (not scontrol's), PURGE_COMP apart.
    assert maint["flags"] == ["MAINT", "IGNORE_JOBS", "DAILY", "SPEC_NODES",
                              "NO_HOLD_JOBS_AFTER_END"]
    assert lic["flags"] == ["ANY_NODES", "MAGNETIC"]
    assert part["flags"] == ["FLEX", "OVERLAP", "WEEKDAY", "SPEC_NODES"]
    # purge_completed only with PURGE_COMP, in seconds, before start_time.
    assert lic["purge_completed"] == {"time": 300}
    assert "purge_completed" not in maint and "purge_completed" not in part
    keys = list(lic)
    assert keys.index("partition") + 1 == keys.index("purge_completed") == \
        keys.index("start_time") - 1
    # Unset strings are "", unset watts is NO_VAL, times are integers.
    assert maint["accounts"] == maint["groups"] == maint["licenses"] == "" \
        == maint["burst_buffer"] == maint["features"] == maint["partition"]
    assert lic["node_list"] == lic["tres"] == lic["users"] == ""
    assert maint["watts"] == lic["watts"] == 4294967294
    for r in records.values():
        assert isinstance(r["start_time"], int) and isinstance(r["end_time"], int)
    assert maint["end_time"] - maint["start_time"] == 3600
    assert part["end_time"] - part["start_time"] == 86400
    assert (maint["node_list"], maint["node_count"], maint["users"]) == ("ghost2", 1, "alice")
    assert (lic["accounts"], lic["licenses"], lic["node_count"]) == ("physics,chem", "matlab:1", 0)
    assert (part["partition"], part["groups"], part["features"]) == ("ghosts", "alice", "foo")
    assert part["max_start_delay"] == 600
    assert maint["tres"] == "cpu=1"


def test_v0_0_37_names_no_hourly_flag():
    listed = {r["name"]: r for r in one(run_ours(req(path="/slurm/v0.0.37/reservations",
                                                     close=True))).json()["reservations"]}
    assert listed["rpy_hourly"]["flags"] == ["OVERLAP", "SPEC_NODES"]
    v38 = {r["name"]: r for r in one(run_ours(req(path=LIST_PATH, close=True))).json()[
        "reservations"]}
    assert v38["rpy_hourly"]["flags"] == ["OVERLAP", "HOURLY", "SPEC_NODES"]


# ---- one reservation ----

@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["rpy_maint", "rpy_lic", "rpy_part", "RPY_Maint"])
@pytest.mark.parametrize("api", APIS)
def test_one_same_as_reference(name, openapi_doc, api):
    data = check_same(f"{API}/reservation/{name}", openapi_doc, ONE_PATH, api=api)
    assert [r["name"] for r in data["reservations"]] == [name.lower()]


@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["no_such_reservation", "rpy_mai", "rpy_maint%20"])
@pytest.mark.parametrize("api", APIS)
def test_unknown_same_as_reference(name, openapi_doc, api):
    data = check_same(f"{API}/reservation/{name}", openapi_doc, ONE_PATH, status=500, api=api)
    assert data["errors"] == [INVALID]
    assert data["reservations"] == []


# ---- update_time ----

FUTURE = int(time.time()) + 10 * 365 * 86400


@pytest.mark.parametrize("path", [
    f"{LIST_PATH}?update_time={FUTURE}",
    f"{API}/reservation/rpy_lic?update_time={FUTURE}",
    # The reference does not look at the name when nothing changed.
    f"{API}/reservation/no_such_reservation?update_time={FUTURE}",
    f"{LIST_PATH}?update_time=99999999999999999999",  # saturates
    f"{LIST_PATH}?update_time={FUTURE}.4",
])
@pytest.mark.parametrize("api", APIS)
def test_not_modified(path, openapi_doc, api):
    check_same(path, openapi_doc, LIST_PATH, status=304, api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("api", APIS)
def test_changes_since_update_time_are_seen(openapi_doc, api):
    before = int(time.time()) - 1
    scontrol("update", "reservationname=rpy_part", "maxstartdelay=20")
    try:
        data = check_same(f"{LIST_PATH}?update_time={before}", openapi_doc, LIST_PATH, api=api)
        records = {r["name"]: r for r in data["reservations"]}
        assert records["rpy_part"]["max_start_delay"] == 1200
        data = check_same(f"{API}/reservation/rpy_part?update_time={before}", openapi_doc,
                          ONE_PATH, api=api)
        assert data["reservations"][0]["max_start_delay"] == 1200
        check_same(f"{API}/reservation/nope?update_time={before}", openapi_doc, ONE_PATH, 500,
                   api=api)
    finally:
        scontrol("update", "reservationname=rpy_part", "maxstartdelay=10")


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["-5", "1.5", "%2B7", "1.5e3", "-.5", "-99999999999999999999"])
@pytest.mark.parametrize("api", APIS)
def test_odd_but_valid_update_time(value, openapi_doc, api):
    check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["abc", "", "1e3", "true", "0x10", "5abc", ".", "inf", "%205"])
@pytest.mark.parametrize("path", [LIST_PATH, f"{API}/reservation/rpy_lic"])
@pytest.mark.parametrize("api", APIS)
def test_bad_update_time(path, value, openapi_doc, api):
    data = check_same(f"{path}?update_time={value}", openapi_doc,
                      LIST_PATH if path == LIST_PATH else ONE_PATH, status=400, api=api)
    assert data["errors"] == [] and data["reservations"] == []


@pytest.mark.cluster22
def test_yaml_same_data():
    import yaml
    wire = req(path=LIST_PATH, headers=[("Accept", "application/x-yaml")], close=True)
    ref, ours = one(run_reference(wire)), one(run_ours(wire))
    assert ref.status == ours.status == 200
    assert ours.content_type == "application/x-yaml"
    assert yaml.safe_load(ours.body) == yaml.safe_load(ref.body)


# ---- the document ----

def test_document_declares_what_the_reference_does(openapi_doc, reference_doc):
    r_props, o_props = declared_alike(openapi_doc, reference_doc, (LIST_PATH, ONE_PATH),
                                      "v0.0.38_reservation")
    assert set(o_props) == set(r_props)
    for key, schema in r_props.items():
        assert o_props[key]["type"] == schema["type"], key
    assert o_props["purge_completed"]["properties"]["time"]["type"] == "integer"
