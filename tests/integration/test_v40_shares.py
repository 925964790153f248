"""GET /slurm/v0.0.40, v0.0.41 and v0.0.42 shares and reconfigure/.

- Our answers validate against our served document, which declares these
  operations as the 24.11 reference's does.
- shares: the associations both clusters hold (accounts root, physics,
  chem; users alice, bob) are there in both, with the same keys and
  JSON types everywhere and the same values, but for what the priority
  plugin computes (normalized shares and usage, fair-share factors): the
  22.05 cluster runs priority/basic, the 24.11 one priority/multifactor.
  Like the reference, the accounts and users parameters change nothing.
  On 24.11 (conftest.SAME_CLUSTER24) both answer from ours' cluster, but
  ours reads no association there (the listed correction, UNREAD24).
- reconfigure/: alice may not; the same refusal as the reference's. (Root
  may, but the shared cluster is never reconfigured by a test.)
"""
from __future__ import annotations

import json

import pytest

from conftest import SAME_CLUSTER24, one, reference24_doc, req, run_ours, run_reference24, validate
from doc40 import assert_declared_alike, paths_of

VERSIONS = ("v0.0.40", "v0.0.41", "v0.0.42")
ACCOUNTS = ("root", "physics", "chem")
USERS = ("root", "alice", "bob")
# What priority/multifactor computes and priority/basic leaves unset, and
# the usage each cluster's own past jobs left.
COMPUTED = ("shares_normalized", "effective_usage", "usage", "usage_normalized", "fairshare")
# A known loss (README "On Slurm 24.11"): 24.11's installed headers declare
# no share-information messages, so on 24.11 ours reads no association and
# answers as a cluster with none, the total unset.
UNREAD24 = {"shares": [], "total_shares": None} if SAME_CLUSTER24 else None


def get(path, runner=run_ours):
    return one(runner(req(path=path, close=True)))


def shares(path, runner=run_ours):
    resp = get(path, runner)
    assert resp.status == 200, resp.body[:500]
    data = resp.json()
    assert data["errors"] == [] and data["warnings"] == []
    return data


def common(data):
    """The associations both clusters' set-up made, in the answer's order."""
    return [s for s in data["shares"]["shares"]
            if (s["type"] == ["ASSOCIATION"] and s["name"] in ACCOUNTS
                and s["parent"] in ("", "root"))
            or (s["type"] == ["USER"] and s["name"] in USERS and s["parent"] in ACCOUNTS
                and s["partition"] == "")]


def types(value):
    """The JSON types of `value` at every level, keys in order."""
    if isinstance(value, dict):
        return [(k, types(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [types(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize("version", VERSIONS)
def test_answers_valid(version, openapi_doc):
    path = f"/slurm/{version}/shares"
    data = shares(path)
    validate(openapi_doc, (path, "get", 200), data)
    assert list(data) == ["shares", "meta", "errors", "warnings"]
    assert list(data["shares"]) == ["shares", "total_shares"]
    names = {(s["name"], s["parent"]) for s in common(data)}
    if UNREAD24:
        assert data["shares"] == UNREAD24
    else:
        assert {("root", ""), ("chem", "root"), ("alice", "chem"), ("bob", "chem"),
                ("alice", "physics")} <= names
    for s in data["shares"]["shares"]:
        tres = s["tres"]
        # One entry per TRES the cluster counts, named alike in the three lists.
        names = [t["name"] for t in tres["run_seconds"]]
        assert "cpu" in names and names == [t["name"] for t in tres["group_minutes"]] == \
            [t["name"] for t in tres["usage"]]
    resp = get(f"/slurm/{version}/reconfigure/")
    assert resp.status == 500
    validate(openapi_doc, (f"/slurm/{version}/reconfigure/", "get", 500), resp.json())


@pytest.mark.skipif(SAME_CLUSTER24, reason="no share read on 24.11 (UNREAD24)")
def test_number_objects_in_v0_0_42_only():
    """v0.0.42 writes the effective usage and the fair-share factors as
    number objects, v0.0.40 and v0.0.41 as plain numbers."""
    for version, number in (("v0.0.40", float), ("v0.0.41", float), ("v0.0.42", dict)):
        for s in shares(f"/slurm/{version}/shares")["shares"]["shares"]:
            assert isinstance(s["effective_usage"], number)
            assert isinstance(s["fairshare"]["factor"], number)
            assert isinstance(s["shares_normalized"], dict)


def test_filters_change_nothing():
    """The reference reads accounts and users from the path, where there are none."""
    everything = shares("/slurm/v0.0.42/shares")["shares"]
    assert shares("/slurm/v0.0.42/shares?users=bob&accounts=chem")["shares"] == everything


def test_document_declares_what_the_reference_does(openapi_doc):
    ref = reference24_doc()
    for version in VERSIONS:
        paths = paths_of(ref, version, ("shares", "reconfigure"))
        assert paths == {f"/slurm/{version}/shares", f"/slurm/{version}/reconfigure/"}
        assert paths == paths_of(openapi_doc, version, ("shares", "reconfigure"))
        for path in paths:
            assert set(openapi_doc["paths"][path]) == set(ref["paths"][path])
            assert_declared_alike(openapi_doc, ref, path)


@pytest.mark.parametrize("query", ["", "?users=bob"])
@pytest.mark.parametrize("version", VERSIONS)
def test_same_shares_as_reference24(version, query):
    path = f"/slurm/{version}/shares{query}"
    ref, ours = shares(path, run_reference24), shares(path)
    assert list(ours) == list(ref) and list(ours["shares"]) == list(ref["shares"])
    if UNREAD24:
        assert {("root", ""), ("chem", "root")} <= {(s["name"], s["parent"]) for s in common(ref)}
        assert ours["shares"] == UNREAD24
        return
    assert type(ours["shares"]["total_shares"]) is type(ref["shares"]["total_shares"])
    # In the order of each controller's association list, which other
    # tests' associations come and go in on the 22.05 cluster.
    r, o = (sorted(common(d), key=lambda s: (s["type"], s["parent"], s["name"]))
            for d in (ref, ours))
    assert [(s["name"], s["parent"]) for s in o] == [(s["name"], s["parent"]) for s in r]
    for rs, os_ in zip(r, o):
        assert types(os_) == types(rs), os_["name"]
        assert {k: v for k, v in os_.items() if k not in COMPUTED} == \
            {k: v for k, v in rs.items() if k not in COMPUTED}, os_["name"]


@pytest.mark.parametrize("version", VERSIONS)
def test_reconfigure_refused_as_reference24(version):
    path = f"/slurm/{version}/reconfigure/"
    ref, ours = get(path, run_reference24), get(path)
    assert ref.status == ours.status == 500
    r, o = json.loads(ref.body), json.loads(ours.body)
    assert list(o) == list(r) == ["errors", "warnings", "meta"]
    assert o["errors"] == r["errors"] == [{
        "description": "slurm_reconfigure() failed", "error_number": 2010,
        "error": "Invalid user id", "source": "op_handler_reconfigure"}]
