"""Our document's v0.0.40 to v0.0.42 part beside Slurm 24.11's generated one:
every operation we serve there is one of the reference's, with the same
method, operationId, parameters, the same component names reachable from its
request and response, and the same response keys. (Properties the reference
declares wrongly may be corrected; README's compatibility notes name each.)"""
from __future__ import annotations

import re

import pytest

from conftest import reference24_doc

PARSER_PATH = re.compile(r"^/slurm(db)?/v0\.0\.4[0-2]/")


def _refs(node, into: set) -> set:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            into.add(ref.rsplit("/", 1)[-1])
        for v in node.values():
            _refs(v, into)
    elif isinstance(node, list):
        for v in node:
            _refs(v, into)
    return into


def reachable(doc: dict, node) -> set[str]:
    """The component names `node` refers to, directly or through others."""
    schemas = doc["components"]["schemas"]
    seen: set[str] = set()
    todo = _refs(node, set())
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= _refs(schemas[name], set()) - seen
    return seen


def resolved(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def ours_served(openapi_doc):
    return [(path, method) for path, item in openapi_doc["paths"].items()
            if PARSER_PATH.match(path) for method in item]


def test_paths_are_the_references(openapi_doc):
    ref = reference24_doc()
    served = ours_served(openapi_doc)
    assert served, "no v0.0.40-42 operation served"
    missing = [(p, m) for p, m in served if m not in ref["paths"].get(p, {})]
    assert not missing, missing


def test_operations_as_the_reference(openapi_doc):
    ref = reference24_doc()
    for path, method in ours_served(openapi_doc):
        o, r = openapi_doc["paths"][path][method], ref["paths"][path][method]
        where = f"{method.upper()} {path}"
        assert o["operationId"] == r["operationId"], where
        assert ({(p["name"], p["in"]) for p in o.get("parameters", [])}
                == {(p["name"], p["in"]) for p in r.get("parameters", [])}), where
        assert ("requestBody" in o) == ("requestBody" in r), where
        if "requestBody" in r:
            body = r["requestBody"]["content"]["application/json"]["schema"]
            ours = o["requestBody"]["content"]["application/json"]["schema"]
            assert reachable(openapi_doc, ours) == reachable(ref, body), where
        for status in ("200", "default"):
            rs = r["responses"][status]["content"]["application/json"]["schema"]
            os_ = o["responses"][status]["content"]["application/json"]["schema"]
            assert reachable(openapi_doc, os_) == reachable(ref, rs), (where, status)
            assert (list(resolved(openapi_doc, os_)["properties"])
                    == list(resolved(ref, rs)["properties"])), (where, status)


@pytest.mark.parametrize("version", ["v0.0.40", "v0.0.41", "v0.0.42"])
def test_component_properties_as_the_reference(openapi_doc, version):
    # Every component we name in these versions is the reference's, with its keys.
    ref = reference24_doc()["components"]["schemas"]
    ours = {n: s for n, s in openapi_doc["components"]["schemas"].items()
            if n.startswith(version + "_")}
    for name, schema in ours.items():
        assert name in ref, name
        if "properties" in ref[name]:
            assert list(schema["properties"]) == list(ref[name]["properties"]), name
