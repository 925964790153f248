"""GET /slurm/v0.0.40-42/diag/: our statistics valid against our document,
beside our v0.0.38 statistics, and shaped as the Slurm 24.11 reference's
(the two controllers' counters differ; keys, their order and JSON types
must not; on 24.11, one controller, the cycles' exit counts are its own)."""
from __future__ import annotations

import json

import pytest

import doc40
from conftest import (RELEASE, SAME_CLUSTER24, json_of, one, reference24_doc, req, run_ours,
                      run_reference24, shape, validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")


def get(path, runner=run_ours):
    resp = one(runner(req(path=path, close=True)))
    assert resp.status == 200, resp.body[:500]
    assert resp.content_type == "application/json"
    return json_of(resp)


def ordered_shape(value) -> str:
    """shape() with the keys' order kept (a dict's keys compare unordered)."""
    return json.dumps(shape(value))


@pytest.mark.parametrize("version", PARSERS)
def test_valid_against_our_document(version, openapi_doc):
    data = get(f"/slurm/{version}/diag/")
    assert list(data) == ["statistics", "meta", "errors", "warnings"]
    assert data["errors"] == data["warnings"] == []
    validate(openapi_doc, (f"/slurm/{version}/diag/", "get", 200), data)


@pytest.mark.parametrize("version", PARSERS)
def test_beside_v0_0_38(version):
    stats = get(f"/slurm/{version}/diag/")["statistics"]
    old = get("/slurm/v0.0.38/diag")["statistics"]
    # (What does not move between two requests: backfill may run in between.)
    for key in ("parts_packed", "gettimeofday_latency"):
        assert stats[key] == old[key], key
    assert stats["req_time_start"] == {"set": True, "infinite": False,
                                       "number": old["req_time_start"]}
    assert stats["req_time"]["number"] <= old["req_time"]  # asked for first
    if RELEASE == "22.05":  # 22.05 does not count why cycles exited
        assert set(stats["schedule_exit"].values()) == set(stats["bf_exit"].values()) == {0}
    types = {r["message_type"]: r for r in stats["rpcs_by_message_type"]}
    assert "REQUEST_STATS_INFO" in types
    users = {r["user"]: r for r in stats["rpcs_by_user"]}
    assert users["alice"]["user_id"] > 0 and users["alice"]["count"] > 0
    for r in stats["rpcs_by_message_type"] + stats["rpcs_by_user"]:
        average = r["average_time"]
        if version == "v0.0.40":
            assert average == (r["total_time"] // r["count"] if r["count"] else 0)
        elif r["total_time"] and r["count"]:
            assert average == {"set": True, "infinite": False,
                               "number": r["total_time"] // r["count"]}
        else:
            assert average == {"set": False, "infinite": False, "number": 0}
    if version == "v0.0.40":
        assert "pending_rpcs" not in stats and "bf_cycle_max" not in stats
        # 24.11's v0.0.40 writes the queue length's mean as the table size's.
        assert stats["bf_table_size_mean"] == stats["bf_queue_len_mean"]
    else:
        assert stats["bf_cycle_max"] == old["bf_cycle_max"]
        assert stats["pending_rpcs"] == [] and stats["pending_rpcs_by_hostlist"] == []
        for r in stats["rpcs_by_message_type"]:  # 22.05 has no RPC queue
            assert (r["queued"], r["dropped"], r["cycle_last"], r["cycle_max"]) == (0, 0, 0, 0)


def test_document_as_reference24(openapi_doc):
    ref = reference24_doc()
    for version in PARSERS:
        doc40.assert_declared_alike(openapi_doc, ref, f"/slurm/{version}/diag/")


@pytest.mark.parametrize("version", PARSERS)
def test_shaped_as_reference24(version):
    path = f"/slurm/{version}/diag/"
    ref, ours = get(path, run_reference24), get(path)
    assert list(ours) == list(ref)
    assert ordered_shape(ours["statistics"]) == ordered_shape(ref["statistics"])
    # Equal where both clusters agree: the partitions are packed.
    assert ours["statistics"]["parts_packed"] == ref["statistics"]["parts_packed"]
    if SAME_CLUSTER24:
        # One controller: why its cycles exited, counts that only grow (ours asked last).
        for key in ("schedule_exit", "bf_exit"):
            r, o = ref["statistics"][key], ours["statistics"][key]
            assert list(o) == list(r) and all(o[k] >= r[k] for k in r), key
        assert ref["statistics"]["schedule_exit"]["end_job_queue"] > 0  # jobs were scheduled
        # Named by the controller's release, the reference's (rpc_num2string of 24.11).
        names = [{r["type_id"]: r["message_type"] for r in d["statistics"]["rpcs_by_message_type"]}
                 for d in (ref, ours)]
        common = names[0].keys() & names[1].keys()
        assert common
        assert {t: names[1][t] for t in common} == {t: names[0][t] for t in common}
