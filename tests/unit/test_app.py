"""The layers between the HTTP core and libslurm, with a fake backend:
routing, negotiation, bodies, streaming, declarations, the document, auth order."""
import json
import stat
import types

import pytest
import yaml
from openapi_spec_validator import validate

from slurmrestd_py import media, openapi
from slurmrestd_py.app import App
from slurmrestd_py.auth import Authenticator, Peer
from slurmrestd_py.http import Request
from slurmrestd_py.errors import HttpError
from slurmrestd_py.routes import Operation, Param, Router, split_path
from slurmrestd_py.versions import VERSIONS
from slurmrestd_py.schema import Array, Bool, Field, Inline, Int, Obj, Str
from slurmrestd_py.envelope import response_obj

THING = Obj("thing", [
    Field("name", Str, description="its name"),
    Field("size", Int, "c_size", "read from another attribute"),
    Field("big", Bool, lambda c: c.c_size > 10, "computed"),
    Field("tags", Array(Str), lambda c: list(c.tags)),
    Field("inner", Inline([Field("a", Int)]), lambda c: {"a": 1}),
])
THINGS = response_obj("things", [Field("things", Array(THING))])


def fake(name, size, tags=()):
    return types.SimpleNamespace(name=name, c_size=size, tags=tags)


def list_things(call):
    n = int(call.query.get("n", "3"))
    return {"things": (THING.read(fake(f"t{i}", i * 5)) for i in range(n))}


def echo(call):
    return {"things": [THING.read(fake(call.params["name"], len(call.body or {})))]}


def router():
    r = Router()
    r.add(Operation("GET", "/slurm/v0.0.38/things", "slurm_v0_0_38_get_things", "list",
                    "slurm", list_things, THINGS,
                    [Param("n", "query", Str, "how many")], plugin="v0.0.38"))
    r.add(Operation("POST", "/slurm/v0.0.38/thing/{name}", "slurm_v0_0_38_post_thing",
                    "echo", "slurm", echo, THINGS, [Param("name", "path", Str)],
                    body=THING, plugin="v0.0.38"))
    r.add(Operation("GET", "/slurm/v0.0.38/thing/{name}", "slurm_v0_0_38_get_thing",
                    "get", "slurm", echo, THINGS, [Param("name", "path", Str)],
                    plugin="v0.0.38"))
    for op in openapi.operations(r):
        r.add(op)
    return r


OWNER = 4242
PIPE = Peer("file", OWNER, OWNER, stat.S_IFIFO | 0o600)


def app(peer=PIPE, plugins=("local", "jwt")):
    return App(router(), Authenticator(list(plugins), daemon_uid=OWNER), peer)


def request(method="GET", target="/slurm/v0.0.38/things", headers=(), body=b""):
    path, _, query = target.partition("?")
    return Request(method, target, path, query, [(k.lower(), v) for k, v in headers],
                   body, "1.1")


def body_of(resp):
    return resp.body if isinstance(resp.body, bytes) else b"".join(resp.body)


@pytest.fixture(autouse=True)
def no_libslurm(monkeypatch):
    monkeypatch.setattr("slurmrestd_py.slurm.user_name", lambda uid: f"user{uid}")


def test_envelope_and_stream():
    resp = app()(request(target="/slurm/v0.0.38/things?n=2"))
    assert resp.status == 200
    data = json.loads(body_of(resp))
    assert data["meta"]["plugin"] == {"type": "openapi/v0.0.38", "name": "Slurm OpenAPI v0.0.38"}
    assert data["errors"] == []
    assert data["things"] == [
        {"name": "t0", "size": 0, "big": False, "tags": [], "inner": {"a": 1}},
        {"name": "t1", "size": 5, "big": False, "tags": [], "inner": {"a": 1}},
    ]


def test_large_list_is_streamed_in_chunks():
    resp = app()(request(target="/slurm/v0.0.38/things?n=5000"))
    assert not isinstance(resp.body, bytes)
    chunks = list(resp.body)
    assert len(chunks) > 1
    assert len(json.loads(b"".join(chunks))["things"]) == 5000


def test_path_rules():
    assert split_path("//slurm///v0.0.38/ping/") == ["slurm", "v0.0.38", "ping"]
    assert split_path("/a%20b") == ["a b"]
    for bad in ("/slurm/../x", "/slurm/%2e%2e/x", "/a b", "/a\"b", "/a%zz"):
        with pytest.raises(HttpError) as e:
            split_path(bad)
        assert e.value.status == 400


def test_404_405_and_params():
    a = app()
    assert a(request(target="/slurm/v0.0.38/nothing")).status == 404
    resp = a(request("DELETE", "/slurm/v0.0.38/things"))
    assert resp.status == 405 and b"not defined" in body_of(resp)
    resp = a(request(target="/slurm/v0.0.38/thing/abc"))
    assert json.loads(body_of(resp))["things"][0]["name"] == "abc"


@pytest.mark.parametrize("accept,expected", [
    (None, "application/json"),
    ("*/*", "application/json"),
    ("application/x-yaml", "application/x-yaml"),
    ("text/yaml", "text/yaml"),
    ("text/yaml;q=0.2, application/json;q=0.9", "application/json"),
    ("text/yaml;q=0.9, application/json;q=0.2", "text/yaml"),
    ("text/html, */*;q=0.1", "application/json"),
    ("application/json;q=0, text/yaml", "text/yaml"),
])
def test_negotiation(accept, expected):
    assert media.negotiate(accept) == expected


def test_unacceptable_is_415():
    resp = app()(request(headers=[("Accept", "text/html")]))
    assert resp.status == 415 and resp.close


def test_yaml_answer_matches_json():
    a = app()
    as_json = json.loads(body_of(a(request())))
    as_yaml = yaml.safe_load(body_of(a(request(headers=[("Accept", "text/yaml")]))))
    assert as_json == as_yaml


@pytest.mark.parametrize("ctype,body", [
    ("application/json", b'{"a": 1, "b": 2}'),
    ("application/json; charset=utf-8", b'{"a": 1, "b": 2}'),
    ("application/x-yaml", b"a: 1\nb: 2\n"),
    ("application/x-www-form-urlencoded", b"a=1&b=2"),
])
def test_post_bodies(ctype, body):
    resp = app()(request("POST", "/slurm/v0.0.38/thing/x", [("Content-Type", ctype)], body))
    assert resp.status == 200
    assert json.loads(body_of(resp))["things"][0]["size"] == 2


def test_bad_bodies():
    a = app()
    resp = a(request("POST", "/slurm/v0.0.38/thing/x", [("Content-Type", "application/json")],
                     b"{nope"))
    assert resp.status == 400 and b"Unable to parse" in body_of(resp)
    resp = app()(request("GET", "/slurm/v0.0.38/things", body=b"x"))
    assert resp.status == 400
    resp = app()(request("POST", "/slurm/v0.0.38/thing/x", [("Content-Type", "image/png")], b"x"))
    assert resp.status == 415


def test_yaml_bodies_hold_json_types_only():
    # Dates stay the strings they were written as (the reference reads them so).
    assert media.parse_body("application/x-yaml", b"a: 2020-01-01\nb: [1, 2.5, true, null, x]\n") == \
        {"a": "2020-01-01", "b": [1, 2.5, True, None, "x"]}
    for tagged in (b"!!binary aGk=", b"!!set {x}", b"!!omap [x: 1]", b"!!timestamp 2020-01-01",
                   b"!!python/object:os.system x"):
        with pytest.raises(HttpError) as e:
            media.parse_body("application/x-yaml", b"script: " + tagged)
        assert e.value.status == 400 and "Unable to parse request body" in e.value.message


def test_auth_runs_before_routing():
    other = Peer("file", OWNER + 1, OWNER, stat.S_IFIFO | 0o600)
    resp = app(peer=other)(request(target="/no/such/path"))
    assert resp.status == 401 and body_of(resp) == b"Authentication failure" and resp.close


@pytest.mark.parametrize("peer,ok", [
    (Peer("file", OWNER, OWNER, stat.S_IFIFO | 0o600), True),
    (Peer("file", OWNER, OWNER, stat.S_IFREG | 0o644), False),  # "other" may read
    (Peer("file", OWNER, OWNER, stat.S_IFREG | 0o4600), False),  # setuid
    (Peer("file", 0, 0, stat.S_IFIFO | 0o600), False),  # someone else's pipe
    (Peer("unix", 0, 0), True),
    (Peer("unix", OWNER, OWNER), True),
    (Peer("unix", OWNER + 1, OWNER), False),
    (Peer("tcp"), False),  # local does not apply and no JWT headers
])
def test_local_auth(peer, ok):
    assert (app(peer=peer)(request()).status == 200) is ok


def test_jwt_headers():
    tcp = Peer("tcp")
    half = app(peer=tcp)(request(headers=[("X-SLURM-USER-NAME", "alice")]))
    assert half.status == 401
    import time

    import jwt
    t, u = (jwt.encode({"sun": name, "exp": int(time.time()) + 60}, "k" * 32, algorithm="HS256")
            for name in ("alice", "bob"))
    whole = app(peer=tcp)
    ok = whole(request(headers=[("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", t)]))
    assert ok.status == 200 and whole.identity.token == t and whole.identity.user == "alice"
    # Another identity on the same connection is refused: libslurm speaks for the first.
    again = whole(request(headers=[("X-SLURM-USER-NAME", "bob"), ("X-SLURM-USER-TOKEN", u)]))
    assert again.status == 401


def test_handler_crash_is_a_clean_500(monkeypatch):
    a = app()
    op, _ = a.router.match("GET", "/slurm/v0.0.38/things")
    monkeypatch.setattr(op, "handler", lambda call: 1 / 0)
    resp = a(request())
    assert resp.status == 500 and b"Traceback" not in body_of(resp)


def test_document_is_valid_and_matches_declarations():
    doc = json.loads(body_of(app()(request(target="/openapi.json"))))
    validate(doc)
    thing = doc["components"]["schemas"]["v0.0.38_thing"]["properties"]
    assert thing["size"] == {"type": "integer", "format": "int64",
                             "description": "read from another attribute"}
    assert thing["tags"] == {"type": "array", "items": {"type": "string"}}
    get = doc["paths"]["/slurm/v0.0.38/things"]["get"]
    assert get["operationId"] == "slurm_v0_0_38_get_things"
    assert doc["paths"]["/slurm/v0.0.38/thing/{name}"]["post"]["requestBody"]


def test_openapi_yaml_ignores_accept():
    resp = app()(request(target="/openapi.yaml", headers=[("Accept", "application/json")]))
    assert dict(resp.headers)["Content-Type"] == "application/x-yaml"
    assert yaml.safe_load(body_of(resp))["openapi"].startswith("3.0")


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.plugin)
def test_module_index_matches_operations(version):
    # The lazy router finds a module by the heads the registry lists: every
    # operation's path must start with a head listed for its own module.
    import importlib
    for module, heads in version.modules:
        ops = importlib.import_module(f"slurmrestd_py.{module}").OPERATIONS
        assert ops
        for op in ops:
            bound = op.bound(version)
            segments = tuple(s for s in bound.path.split("/") if s)
            assert segments[:2] == version.prefix and segments[2] in heads, (module, op.path)
            assert bound.plugin == version.plugin
            # slurm_v0_0_38_get_jobs; from v0.0.40 on, slurm_v0042_get_jobs
            digits = version.version.replace(".", "" if version.parser else "_")
            assert bound.operation_id.startswith(f"{version.area}_{digits}_")


def test_registry_is_the_only_list():
    # -s, -d, -s list and the envelope read the registry.
    from slurmrestd_py import envelope, options
    legacy = [v for v in VERSIONS if not v.parser]
    parsers = [v for v in VERSIONS if v.parser]
    assert options.OPENAPI_PLUGINS == (*(v.plugin for v in legacy),
                                       *dict.fromkeys(v.content for v in parsers))
    assert options.LISTS["list_parsers"][1] == tuple(dict.fromkeys(v.version for v in parsers))
    for v in legacy:
        assert envelope.meta(v.plugin)["plugin"] == {"type": f"openapi/{v.plugin}",
                                                     "name": v.title}
    for v in parsers:
        assert v.plugin_type == f"openapi/{v.content}"
        assert v.title == f"Slurm OpenAPI {v.content}"


def test_lazy_router_loads_only_what_a_request_needs():
    import sys
    from slurmrestd_py.app import build_router
    for name in [m for m in sys.modules if m.startswith("slurmrestd_py.v0_0_38.")]:
        del sys.modules[name]
    r = build_router(["v0.0.38"])
    op, params = r.match("GET", "/slurm/v0.0.38/node/vm")
    assert op.operation_id == "slurm_v0_0_38_get_node" and params == {"node_name": "vm"}
    assert "slurmrestd_py.v0_0_38.nodes" in sys.modules
    assert "slurmrestd_py.v0_0_38.jobs" not in sys.modules
    ids = [o.operation_id for o in r.operations]  # the document loads every module
    assert "slurm_v0_0_38_get_jobs" in ids and ids.index("slurm_v0_0_38_diag") < ids.index(
        "slurm_v0_0_38_get_jobs")
    with pytest.raises(HttpError) as e:
        r.match("GET", "/slurm/v0.0.38/nothing")
    assert e.value.status == 404


def test_a_stream_that_fails_midway_ends_the_connection_without_a_traceback():
    from slurmrestd_py.http import Connection, Response
    from slurmrestd_py.transport import serve

    def broken():
        yield b'{"things":['
        yield b'1,'
        raise RuntimeError("libslurm went away")

    out = []
    wire = [b"GET /x HTTP/1.1\r\nHost: x\r\n\r\nGET /y HTTP/1.1\r\nHost: x\r\n\r\n", b""]
    serve(Connection(), lambda req: Response(200, [("Content-Type", "application/json")],
                                             broken()),
          lambda: wire.pop(0), out.append)
    sent = b"".join(out)
    assert sent.startswith(b"HTTP/1.1 200")
    assert sent.count(b"HTTP/1.1") == 1  # the pipelined second request is not answered
    assert not sent.endswith(b"0\r\n\r\n")  # no terminating chunk: visibly truncated
    assert b"Traceback" not in sent and b"RuntimeError" not in sent


def test_matching_a_deep_path_costs_linear_time():
    import time
    from slurmrestd_py.app import build_router
    r = build_router(["v0.0.38", "dbv0.0.38"])
    start = time.process_time()
    with pytest.raises(HttpError) as e:
        r.match("GET", "/a" * 32768)  # quadratic matching took seconds
    assert e.value.status == 404 and time.process_time() - start < 0.5


@pytest.mark.parametrize("body", [
    rb'{"script":"#!/bin/sh\n","job":{"\ud800":1}}',
    rb'{"a":["x", {"k": "\udfff"}]}',
    b'{"a":"\xed\xa0\x80"}',  # a surrogate in CESU-8 bytes: no UTF-8
])
def test_lone_surrogates_in_a_json_body_are_a_400(body):
    with pytest.raises(HttpError) as e:
        media.parse_body("application/json", body)
    assert e.value.status == 400
    assert media.parse_body("application/json", rb'{"a":"\u00e9\\ud800"}') == {"a": "\xe9\\ud800"}


def test_lone_surrogates_in_a_yaml_body_are_a_400():
    with pytest.raises(HttpError) as e:
        media.parse_body("application/x-yaml", b'a: "\\ud800"')
    assert e.value.status == 400


def test_an_invalid_value_is_a_400_naming_its_field(monkeypatch):
    from slurmrestd_py.convert import Invalid
    a = app()
    op, _ = a.router.match("GET", "/slurm/v0.0.38/things")

    def bad(call):
        raise Invalid("update_time", "number out of range")
    monkeypatch.setattr(op, "handler", bad)
    resp = a(request())
    assert resp.status == 400 and resp.close
    [error] = json.loads(body_of(resp))["errors"]
    assert error["description"] == "Invalid update_time: number out of range"
    assert error["error_number"] == 9202 and error["source"] == "update_time"


def test_credentials_slurm_refuses_are_a_401(monkeypatch):
    from slurmrestd_py.errors import SlurmError
    a = app()
    op, _ = a.router.match("GET", "/slurm/v0.0.38/things")

    def refused(call):
        raise SlurmError(6000, "slurm_load_jobs")  # ESLURM_AUTH_CRED_INVALID
    monkeypatch.setattr(op, "handler", refused)
    resp = a(request())
    assert (resp.status, body_of(resp)) == (401, b"Authentication failure")


@pytest.mark.parametrize("token, failure, status", [
    (False, ("slurm", 5005), 500),  # munge: a real failure
    (True, ("slurm", 5005), 401),  # slurmctld hung up on the token
    (True, ("slurm", 1800), 500),  # the controller is down
    (True, ("slurmdb", 1007), 401),  # slurmdbd refused the token
    (False, ("slurmdb", 1007), 401),
])
def test_slurms_refusal_of_a_token_is_a_401(monkeypatch, token, failure, status):
    from slurmrestd_py.errors import ApiError, SlurmError
    a = app()
    op, _ = a.router.match("GET", "/slurm/v0.0.38/things")

    def fail(call):
        kind, errno = failure
        raise SlurmError(errno, "slurm_load_jobs") if kind == "slurm" else ApiError(
            500, errno, "slurmdb_qos_get")
    monkeypatch.setattr(op, "handler", fail)
    identity = types.SimpleNamespace(user="alice", token="t" if token else None)
    monkeypatch.setattr(a, "_authenticate", lambda request: identity)
    assert a(request()).status == status


def test_yaml_aliases_are_checked_once_each():
    import time
    laughs = b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
        b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((98 + i, 98 + i) + (97 + i,) * 9)
        for i in range(9))  # 9**10 strings if every alias were walked
    start = time.process_time()
    assert media.parse_body("application/x-yaml", laughs)["a"] == ["x"] * 9
    assert time.process_time() - start < 1
