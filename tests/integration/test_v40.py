"""v0.0.40, v0.0.41 and v0.0.42: what every answer of those versions shares
(the envelope, paths with or without a trailing slash, GET bodies ignored)
and their /ping and /licenses, checked against our own document and our
v0.0.38 answers on the same cluster."""
from __future__ import annotations

import grp
import pwd

import pytest

from conftest import USER, json_of, one, req, run_ours, validate

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
