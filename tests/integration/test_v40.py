"""v0.0.40, v0.0.41 and v0.0.42: what every answer of those versions shares
(the envelope, paths with or without a trailing slash, GET bodies ignored)
and their /ping and /licenses, checked against our own document, our
v0.0.38 answers on the same cluster, and Slurm 24.11's slurmrestd on its own
cluster with the same fixtures."""
from __future__ import annotations

import grp
import pwd

import pytest

from conftest import USER, json_of, one, req, run_ours, run_reference24, shape, validate

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")


def get(path, **kw):
    resp = one(run_ours(req(path=path, close=True, **kw)))
    assert resp.content_type == "application/json"
    return resp, json_of(resp)


@pytest.mark.parametrize("version", PARSERS)
def test_ping_envelope(version, openapi_doc):
    resp, data = get(f"/slurm/{version}/ping/")
    assert resp.status == 200
    assert list(data) == ["pings", "meta", "errors", "warnings"]
    assert data["errors"] == data["warnings"] == []
    meta = data["meta"]
    assert meta["plugin"] == {"type": "openapi/slurmctld", "name": "Slurm OpenAPI slurmctld",
                              "data_parser": f"data_parser/{version}",
                              "accounting_storage": "accounting_storage/slurmdbd"}
    # The client is who the request acts as, connected over a pipe (inet mode).
    group = grp.getgrgid(pwd.getpwnam(USER).pw_gid).gr_name
    assert meta["client"]["user"] == USER and meta["client"]["group"] == group
    assert "(fd:0)->" in meta["client"]["source"] and meta["client"]["source"].endswith("(fd:1)")
    # The release clients read to choose a version: the Slurm we run against.
    v38 = get("/slurm/v0.0.38/ping")[1]["meta"]["Slurm"]
    assert meta["slurm"]["release"] == v38["release"]
    assert meta["slurm"]["version"] == {k: str(v) for k, v in v38["version"].items()}
    assert meta["slurm"]["cluster"] == "restcluster"
    validate(openapi_doc, (f"/slurm/{version}/ping/", "get", 200), data)


@pytest.mark.parametrize("version", PARSERS)
def test_ping_controllers(version):
    pings = get(f"/slurm/{version}/ping/")[1]["pings"]
    old = get("/slurm/v0.0.38/ping")[1]["pings"]
    assert [p["hostname"] for p in pings] == [p["hostname"] for p in old]
    assert [p["pinged"] for p in pings] == [p["ping"] for p in old] == ["UP"]
    assert [p["mode"] for p in pings] == [p["mode"] for p in old]
    assert all(isinstance(p["latency"], int) and p["latency"] > 0 for p in pings)
    if version == "v0.0.42":
        assert [(p["responding"], p["primary"]) for p in pings] == [(True, True)]
        assert list(pings[0]) == ["hostname", "pinged", "responding", "latency", "mode",
                                  "primary"]
    else:
        assert list(pings[0]) == ["hostname", "pinged", "latency", "mode"]


@pytest.mark.parametrize("version", PARSERS)
def test_licenses(version, openapi_doc):
    resp, data = get(f"/slurm/{version}/licenses/")
    assert resp.status == 200
    old = get("/slurm/v0.0.38/licenses")[1]["licenses"]
    assert [{k: lic[k] for k in ("LicenseName", "Total", "Used", "Free", "Reserved", "Remote")}
            for lic in data["licenses"]] == old
    assert {lic["LicenseName"] for lic in data["licenses"]} == {"matlab", "fluent"}
    last = data["last_update"]
    assert last["set"] is True and last["infinite"] is False and last["number"] > 1.6e9
    validate(openapi_doc, (f"/slurm/{version}/licenses/", "get", 200), data)


@pytest.mark.parametrize("path", ["/slurm/v0.0.42/ping", "/slurm/v0.0.42/ping/",
                                  "/slurm/v0.0.40/licenses", "/slurm/v0.0.41/licenses/"])
def test_trailing_slash_optional(path):
    assert get(path)[0].status == 200


def test_get_body_ignored_from_v0_0_40():
    body = b'{"ignored": true}'
    headers = [("Content-Type", "application/json")]
    resp, data = get("/slurm/v0.0.42/ping/", method="GET", headers=headers, body=body)
    assert resp.status == 200 and data["pings"]
    # v0.0.38 keeps the 22.05 reference's answer to a body it does not expect.
    old = one(run_ours(req(path="/slurm/v0.0.38/ping", headers=headers, body=body, close=True)))
    assert old.status == 400


def test_data_parser_selection():
    wire = req(path="/slurm/v0.0.42/ping/", close=True)
    assert one(run_ours(wire, args=("-s", "slurmctld", "-d", "latest"))).status == 200
    assert one(run_ours(wire, args=("-s", "slurmctld", "-d", "v0.0.40"))).status == 404
    assert one(run_ours(wire, args=("-s", "v0.0.38"))).status == 404
    assert one(run_ours(req(path="/slurm/v0.0.40/ping/", close=True),
                        args=("-d", "v0.0.40"))).status == 200


# ---- against Slurm 24.11's slurmrestd, on a cluster with the same fixtures

def both24(path: str):
    """(reference 24.11, ours) data for GET `path`, both 200."""
    wire = req(path=path, close=True)
    ref, ours = one(run_reference24(wire)), one(run_ours(wire))
    assert (ref.status, ours.status) == (200, 200), (ref.body[:300], ours.body[:300])
    return json_of(ref), json_of(ours)


@pytest.mark.parametrize("version", PARSERS)
def test_ping_as_the_reference(version):
    ref, ours = both24(f"/slurm/{version}/ping/")
    assert shape(ours) == shape(ref)
    assert list(ours["meta"]) == list(ref["meta"])
    assert ours["meta"]["plugin"] == ref["meta"]["plugin"]
    assert ours["meta"]["command"] == ref["meta"]["command"] == []
    assert ours["meta"]["slurm"]["cluster"] == ref["meta"]["slurm"]["cluster"]
    # Each daemon names the release it runs against (22.05 here, 24.11 there).
    assert ref["meta"]["slurm"]["release"].startswith("24.11.")
    volatile = ("latency",)
    assert ([{k: v for k, v in p.items() if k not in volatile} for p in ours["pings"]]
            == [{k: v for k, v in p.items() if k not in volatile} for p in ref["pings"]])


@pytest.mark.parametrize("version", PARSERS)
def test_licenses_as_the_reference(version):
    ref, ours = both24(f"/slurm/{version}/licenses/")
    assert shape(ours) == shape(ref)
    assert ours["licenses"] == ref["licenses"]
    assert ({k: v for k, v in ours["last_update"].items() if k != "number"}
            == {k: v for k, v in ref["last_update"].items() if k != "number"})


def test_slurmdb_ping_as_the_reference(openapi_doc):
    ref, ours = both24("/slurmdb/v0.0.42/ping/")
    assert shape(ours) == shape(ref)
    assert ours["meta"]["plugin"] == ref["meta"]["plugin"]
    assert [{k: v for k, v in p.items() if k != "latency"} for p in ours["pings"]] == [
        {k: v for k, v in p.items() if k != "latency"} for p in ref["pings"]] == [
        {"hostname": "localhost", "responding": True, "primary": True}]
    validate(openapi_doc, ("/slurmdb/v0.0.42/ping/", "get", 200), ours)


@pytest.mark.parametrize("version", ["v0.0.40", "v0.0.41"])
def test_slurmdb_ping_only_from_v0_0_42(version):
    wire = req(path=f"/slurmdb/{version}/ping/", close=True)
    assert one(run_reference24(wire)).status == one(run_ours(wire)).status == 404
