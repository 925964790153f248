"""A corpus of malformed requests through the real inet-mode program (as alice,
on a pipe): each gets its expected status, the daemon exits 0, and nothing
unsafe reaches the wire (no traceback text, no 5xx, nothing after the last
answer) or the log (no traceback, no internal error).

Cases are (id, request bytes, expected statuses of the final answers, in
order). 1xx answers are left out: whether 100 Continue goes first depends on
how the pipe splits the request. Most cases are answered before any RPC; the
few that reach Slurm are in WITH_CLUSTER."""
from __future__ import annotations

import json

import pytest

from conftest import API, TRACEBACK_MARKERS, req, run_ours

DB = "/slurmdb/v0.0.38"
SUBMIT = f"{API}/job/submit"
NOWHERE = f"{API}/nothing"  # 404 once the request is read
DOC = "/openapi/v3"  # answered without Slurm
JSON = [("Content-Type", "application/json")]
YAML = [("Content-Type", "application/x-yaml")]
FORM = [("Content-Type", "application/x-www-form-urlencoded")]


def post(body: bytes, headers=JSON, path=SUBMIT, **kw) -> bytes:
    return req("POST", path, headers, body, **kw)


def chunked(body: bytes, headers=JSON, path=SUBMIT) -> bytes:
    head = req("POST", path, [*headers, ("Transfer-Encoding", "chunked")])
    return head + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


def submission(job) -> bytes:
    return json.dumps({"script": "#!/bin/sh\ntrue\n", "job": job}).encode()


ENV = {"environment": {"PATH": "/bin"}}

REQUEST_LINES = [
    ("garbage", b"\x00\x01\x02garbage\r\n\r\n", [400]),
    ("version-suffix", b"GET / HTTP/1.1x\r\nHost: h\r\n\r\n", [400]),
    ("http-2.0", req(path=NOWHERE, version="2.0"), [505]),
    ("http-0.9", b"GET /\r\n\r\n", [400]),
    ("http-0.9-version", b"GET / HTTP/0.9\r\n\r\n", [505]),
    ("http-1.2-is-1.1", req(path=NOWHERE, version="1.2"), [404]),
    ("http-1.9-doc", req(path=DOC, version="1.9", close=True), [200]),
    ("no-target", b"GET HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
    ("method-only", b"GET\r\n\r\n", [400]),
    ("double-space", b"GET  /x HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
    ("tab-separated", b"GET\t/x\tHTTP/1.1\r\nHost: h\r\n\r\n", [400]),
    ("space-in-target", b"GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
    ("connect", b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", [501]),
    ("unknown-method", req("BREW", NOWHERE), [404]),
    ("unknown-method-known-path", req("BREW", DOC), [405]),
    ("lower-case-method", req("get", DOC), [405]),
    ("long-method", req("A" * 1000, NOWHERE), [404]),
    ("request-line-over-64k", req(path="/" + "a" * 70000), [431]),
    ("absolute-form", req(path=f"http://localhost{NOWHERE}"), [404]),
    ("absolute-form-doc", req(path=f"https://h:8080{DOC}", close=True), [200]),
    ("asterisk-form", req("OPTIONS", "*"), [400]),
    ("authority-form", req("GET", "localhost:80"), [400]),
    ("bare-lf", b"GET " + NOWHERE.encode() + b" HTTP/1.1\nHost: h\n\n", [404]),
    ("leading-blank-lines", b"\r\n\r\n" + req(path=NOWHERE), [400]),
    ("nul-in-target", b"GET /a\x00b HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
    ("high-bytes-in-target", b"GET /\xff\xfe HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
    ("head-http-2.0", req("HEAD", NOWHERE, version="2.0"), [505]),
    ("head-http-1.2", req("HEAD", DOC, version="1.2", close=True), [200]),
    ("head-garbage-version", b"HEAD / HTTP/x\r\nHost: h\r\n\r\n", [400]),
]

HEADERS = [
    ("no-host", req(path=NOWHERE, host=False), [400]),
    ("no-host-1.0", req(path=NOWHERE, version="1.0", host=False), [404]),
    ("host-twice", b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", [400]),
    ("no-colon", b"GET / HTTP/1.1\r\nHost: h\r\nBroken\r\n\r\n", [400]),
    ("space-in-name", b"GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", [400]),
    ("space-before-colon", b"GET / HTTP/1.1\r\nHost: h\r\nX-A : x\r\n\r\n", [400]),
    ("obs-fold", b"GET /x HTTP/1.1\r\nHost: h\r\nX-A: a\r\n  folded\r\n\r\n", [404]),
    ("empty-name", b"GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n", [400]),
    ("nul-in-value", b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x00b\r\n\r\n", [400]),
    ("cr-in-value", b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", [400]),
    ("latin1-value", req(path=NOWHERE, headers=[("X-A", "caf\xe9")]), [404]),
    ("one-header-over-64k", req(path=NOWHERE, headers=[("X-A", "a" * 70000)]), [431]),
    ("many-headers-over-64k", req(path=NOWHERE, headers=[(f"X-{i}", "v" * 20)
                                                         for i in range(3000)]), [431]),
    ("head-headers-over-64k", req("HEAD", NOWHERE, headers=[("X-A", "a" * 70000)]), [431]),
    ("accept-unknown", req("POST", SUBMIT, [*JSON, ("Accept", "application/xml")], b"{}"),
     [415]),
    ("accept-all-refused", req(path=f"{API}/ping", headers=[("Accept", "*/*;q=0")]), [415]),
    ("accept-garbage-q", req("POST", SUBMIT, [*JSON, ("Accept", "text/yaml;q=abc")], b"{}"),
     [415]),
    ("content-type-unknown", post(b"{}", [("Content-Type", "text/plain")]), [415]),
    ("content-type-garbage", post(b"{}", [("Content-Type", ";;;")]), [400]),  # none: JSON
]

# With rest_auth/jwt alone (on a pipe, rest_auth/local would decide first).
AUTH = [
    ("token-garbage", req(path=NOWHERE, headers=[("X-SLURM-USER-NAME", "alice"),
                                                 ("X-SLURM-USER-TOKEN", "garbage")]), [401]),
    ("name-only", req(path=NOWHERE, headers=[("X-SLURM-USER-NAME", "alice")]), [401]),
    ("name-twice", req(path=NOWHERE, headers=[("X-SLURM-USER-NAME", "alice"),
                                              ("X-SLURM-USER-NAME", "alice")]), [401]),
    ("bearer-garbage", req(path=NOWHERE, headers=[("Authorization", "Bearer x.y.z")]), [401]),
    ("bearer-deep-json", req(path=NOWHERE, headers=[(
        "Authorization", "Bearer " + "W1tb" * 5000 + ".e30.c2ln")]), [401]),
    ("bearer-empty", req(path=NOWHERE, headers=[("Authorization", "Bearer ")]), [401]),
    ("basic-auth", req(path=NOWHERE, headers=[("Authorization", "Basic YTpi")]), [401]),
    ("no-credentials", req(path=NOWHERE), [401]),
    ("token-and-bearer", req(path=NOWHERE, headers=[
        ("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", "a.b.c"),
        ("Authorization", "Bearer a.b.c")]), [401]),
    ("token-nested-claims", req(path=NOWHERE, headers=[  # {"a":{"a":{...
        ("X-SLURM-USER-NAME", "alice"),
        ("X-SLURM-USER-TOKEN", "e30." + "eyJhIjp7" * 4000 + ".c2ln")]), [401]),
    ("head-refused", req("HEAD", DOC, headers=[("Authorization", "Bearer x")]), [401]),
]

FRAMING = [
    ("content-length-negative", req("POST", SUBMIT, [*JSON, ("Content-Length", "-1")]), [400]),
    ("content-length-text", req("POST", SUBMIT, [*JSON, ("Content-Length", "ten")]), [400]),
    ("content-length-5000-digits", req("POST", SUBMIT, [*JSON, ("Content-Length", "9" * 5000)]),
     [400]),
    ("content-length-two-values", req("POST", SUBMIT, [*JSON, ("Content-Length", "1"),
                                                       ("Content-Length", "2")], b"{}"), [400]),
    ("content-length-over-50mib", req("POST", SUBMIT, [*JSON, ("Content-Length", "60000000")]),
     [413]),
    ("head-content-length-over-50mib", req("HEAD", DOC, [("Content-Length", "60000000")]),
     [413]),
    ("content-length-short-body", req("POST", SUBMIT, [*JSON, ("Content-Length", "50")],
                                      b'{"script": 1}'), [400]),
    ("content-length-long-body", req("POST", NOWHERE, [*JSON, ("Content-Length", "2")],
                                     b"{}GARBAGE\r\n\r\n"), [404]),
    ("post-without-length", req("POST", SUBMIT, JSON), [411]),
    ("post-without-length-1.0", req("POST", SUBMIT, JSON, version="1.0"), [400]),
    ("body-on-get", req("GET", DOC, body=b"x"), [400]),
    ("body-on-delete", req("DELETE", f"{API}/job/1", body=b"x"), [400]),
    ("transfer-encoding-gzip", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "gzip")]),
     [501]),
    ("transfer-encoding-twice", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked"),
                                                     ("Transfer-Encoding", "chunked")]), [501]),
    ("chunked-and-length", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked"),
                                                ("Content-Length", "5")], b"0\r\n\r\n")
     + req(path=DOC), [400]),
    ("head-chunked-and-length", req("HEAD", DOC, [("Transfer-Encoding", "chunked"),
                                                  ("Content-Length", "5")], b"0\r\n\r\n"),
     [400]),
    ("chunked-on-1.0", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                           b"2\r\n{}\r\n0\r\n\r\n", version="1.0"), [400]),
    ("chunk-size-garbage", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                               b"zz\r\n{}\r\n0\r\n\r\n"), [400]),
    ("chunk-size-huge", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                            b"ffffffffffffffffffff\r\n{}"), [400]),
    ("chunk-size-short", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                             b"1\r\n{}\r\n0\r\n\r\n"), [400]),
    ("chunk-missing-crlf", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                               b"2\r\n{}0\r\n\r\n"), [400]),
    ("chunk-extension", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                            b"2;a=b\r\n{}\r\n0\r\n\r\n"), [400]),
    ("chunked-no-last-chunk", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                                  b"2\r\n{}\r\n"), [400]),
    ("chunked-trailer", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked")],
                            b"2\r\n{}\r\n0\r\nX-T: 1\r\n\r\n"), [400]),
]

BODIES = [
    ("json-invalid", post(b"{"), [400]),
    ("json-trailing-garbage", post(b"{}x"), [400]),
    ("json-empty-object", post(b"{}"), [400]),
    ("json-array", post(b"[]"), [400]),
    ("json-string", post(b'"x"'), [400]),
    ("json-number", post(b"5"), [400]),
    ("json-null", post(b"null"), [400]),
    ("json-deep-nesting", post(b"[" * 100000 + b"]" * 100000), [400]),
    ("json-deep-objects", post(b'{"a":' * 50000 + b"1" + b"}" * 50000), [400]),
    ("json-lone-surrogate-key", post(rb'{"script":"#!/bin/sh\n","job":{"\ud800":1}}'), [400]),
    ("json-lone-surrogate-script", post(rb'{"script":"#!/bin/sh\n\udfff","job":{}}'), [400]),
    ("json-surrogate-env", post(rb'{"script":"#!/bin/sh\n","job":{"environment":{"A":"\ud800"}}}'),
     [400]),
    ("json-cesu8-bytes", post(b'{"script":"\xed\xa0\x80","job":{}}'), [400]),
    ("json-invalid-utf8", post(b'{"script":"\xff","job":{}}'), [400]),
    ("json-utf16", post('{"script":"x","job":{}}'.encode("utf-16")), [400]),
    ("json-nul-in-script", post(rb'{"script":"#!/bin/sh\u0000x","job":{}}'), [400]),
    ("json-5000-digit-number", post(b'{"script":"x","job":{"nice":' + b"9" * 5000 + b"}}"),
     [400]),
    ("json-huge-float", post(submission({**ENV, "nodes": 1e308})), [400]),
    ("json-infinity", post(b'{"script":"x","job":{"nodes":Infinity,"environment":{"A":"b"}}}'),
     [400]),
    ("json-nan", post(b'{"script":"x","job":{"tasks":NaN,"environment":{"A":"b"}}}'), [400]),
    ("plane-over-16-bits", post(submission({**ENV, "distribution": "plane=402569"})), [400]),
    ("nodes-over-32-bits", post(submission({**ENV, "nodes": "1-9999999999999"})), [400]),
    ("memory-over-64-bits", post(submission({**ENV, "memory_per_cpu": "99999999999999999T"})),
     [400]),
    ("cpus-per-task-over-16-bits", post(submission({**ENV, "cpus_per_task": 70000})), [400]),
    ("tasks-5000-digits", post(submission({**ENV, "tasks": "9" * 5000})), [400]),
    ("unknown-key", post(submission({**ENV, "bogus": 1})), [400]),
    ("disabled-key", post(submission({**ENV, "wrap": "x"})), [400]),
    ("job-not-object", post(b'{"script":"x","job":"y"}'), [400]),
    ("jobs-not-list", post(b'{"script":"x","jobs":{"a":1}}'), [400]),
    ("jobs-of-junk", post(b'{"script":"x","jobs":[1,2]}'), [400]),
    ("script-object", post(b'{"script":{},"job":{}}'), [400]),
    ("no-environment", post(submission({"name": "x"})), [400]),
    ("environment-list", post(submission({"environment": ["A=b"]})), [400]),
    ("charset-json-bad", post(b"{", [("Content-Type", "application/json; charset=utf-8")]),
     [400]),
    ("update-bad-body", post(b"[1]", path=f"{API}/job/1"), [400]),
    ("update-unknown-key", post(b'{"bogus":1}', path=f"{API}/job/1"), [400]),
    ("update-surrogate", post(rb'{"comment":"\ud800"}', path=f"{API}/job/1"), [400]),
    ("chunked-bad-json", chunked(b"{]"), [400]),
    ("chunked-plane", chunked(submission({**ENV, "distribution": "plane=402569"})), [400]),
]

YAML_BODIES = [
    ("yaml-invalid", post(b"a: [", YAML), [400]),
    ("yaml-tabs", post(b"a:\n\t- b", YAML), [400]),
    ("yaml-binary", post(b"script: !!binary aGk=\njob: {}", YAML), [400]),
    ("yaml-set", post(b"script: x\njob: !!set {a}", YAML), [400]),
    ("yaml-python-object", post(b"script: !!python/object:os.system x\njob: {}", YAML), [400]),
    ("yaml-deep-nesting", post(b"[" * 100000, YAML), [400]),
    ("yaml-surrogate-escape", post(b'script: "#!/bin/sh\\ud800"\njob: {}', YAML), [400]),
    ("yaml-billion-laughs", post(b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
        b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((98 + i, 98 + i) + (97 + i,) * 9)
        for i in range(9)) + b"script: x\njob: *j\n", YAML), [400]),
    ("yaml-aliases-as-job", post(b"e: &e {A: b}\nscript: x\njob: {environment: *e, tasks: 9"
                                 b"99999999999999999999}", YAML), [400]),
    ("yaml-plane", post(b"script: x\njob: {environment: {A: b}, distribution: plane=402569}",
                        YAML), [400]),
    ("yaml-multi-document", post(b"a: 1\n---\nb: 2\n", YAML), [400]),
    ("yaml-date-script", post(b"script: 2024-01-01\njob: {}", YAML), [400]),
    ("yaml-scalar", post(b"just text", YAML), [400]),
    ("yaml-invalid-utf8", post(b"script: \xff\njob: {}", YAML), [400]),
]

URLENCODED = [
    ("form-bad-percent", post(b"script=%ff", FORM), [400]),
    ("form-nul", post(b"script=a%00b", FORM), [400]),
    ("form-no-equals", post(b"script", FORM), [400]),
    ("form-empty-pair", post(b"a=1&&b=2", FORM), [400]),
    ("form-job-text", post(b"script=x&job=y", FORM), [400]),
    ("form-surrogate-utf8", post(b"script=%ed%a0%80", FORM), [400]),
    ("form-invalid-utf8-raw", post(b"script=\xff", FORM), [400]),
]

PATHS = [
    ("dot-dot", req(path=f"{API}/../x"), [400]),
    ("dot", req(path=f"{API}/./ping"), [400]),
    ("encoded-dot-dot", req(path=f"{API}/%2e%2e/x"), [400]),
    ("encoded-nul", req(path=f"{API}/job/%00"), [400]),
    ("bad-percent", req(path=f"{API}/job/%zz"), [400]),
    ("percent-ff", req(path=f"{API}/node/%ff"), [400]),
    ("percent-surrogate", req(path=f"{API}/node/%ed%a0%80"), [400]),
    ("reserved-characters", req(path=f"{API}/node/a:b"), [400]),
    ("unknown", req(path=NOWHERE), [404]),
    ("unknown-version", req(path="/slurm/v0.0.35/ping"), [404]),
    ("wrong-method", req("DELETE", f"{API}/ping"), [405]),
    ("put", req("PUT", f"{API}/job/submit", JSON, b"{}"), [405]),
    ("over-8k", req(path="/" + "a" * 9000), [414]),
    ("deep-over-8k", req(path="/a" * 5000), [414]),
    ("deep-under-8k", req(path="/a" * 4000), [404]),
    ("head-over-8k", req("HEAD", "/" + "a" * 9000), [414]),
    ("empty-segments-doc", req(path="//openapi//v3//", close=True), [200]),
    ("fragment", req(path=f"{NOWHERE}#frag"), [400]),
]

QUERIES = [
    ("bad-percent", req(path=f"{DOC}?a=%ff"), [400]),
    ("nul", req(path=f"{DOC}?a=%00"), [400]),
    ("nul-key", req(path=f"{DOC}?%00=1"), [400]),
    ("no-equals", req(path=f"{DOC}?a&b"), [400]),
    ("empty", req(path=f"{DOC}?", close=True), [200]),
    ("bad-pairs", req(path=f"{DOC}?&&"), [400]),
    ("surrogate", req(path=f"{DOC}?a=%ed%a0%80"), [400]),
    ("signal-5000-digits", req("DELETE", f"{API}/job/1?signal={'9' * 5000}"), [400]),
    ("signal-garbage", req("DELETE", f"{API}/job/1?signal=NOPE"), [400]),
    ("very-long", req(path=f"{DOC}?a={'b' * 30000}", close=True), [200]),
]

PIPELINING = [
    ("three-docs", req(path=DOC) + req(path=DOC) + req(path=DOC, close=True), [200, 200, 200]),
    ("doc-then-garbage", req(path=DOC) + b"GARBAGE\r\n\r\n", [200, 400]),
    ("error-closes", req(path=NOWHERE) + req(path=DOC), [404]),
    ("close-then-more", req(path=DOC, close=True) + req(path=DOC), [200]),
    ("http-1.0-then-more", req(path=DOC, version="1.0") + req(path=DOC), [200]),
    ("smuggled-by-length", req("POST", SUBMIT, [*JSON, ("Transfer-Encoding", "chunked"),
                                                ("Content-Length", "30")],
                               b"0\r\n\r\n" + req(path=NOWHERE)), [400]),
    ("head-then-get", req("HEAD", DOC) + req(path=DOC, close=True), [200, 200]),
    ("doc-then-truncated", req(path=DOC) + b"GET /x HT", [200, 400]),
    ("two-bad-bodies", post(b"{") + post(b"{"), [400]),
    ("doc-then-411", req(path=DOC) + req("POST", SUBMIT, JSON), [200, 411]),
]

EXPECT = [
    ("continue-over-limit", req("POST", SUBMIT, [*JSON, ("Expect", "100-continue"),
                                                 ("Content-Length", "60000000")]), [413]),
    ("continue-bad-body", req("POST", SUBMIT, [*JSON, ("Expect", "100-continue")], b"{"),
     [400]),
    ("continue-no-body-sent", req("POST", SUBMIT, [*JSON, ("Expect", "100-continue"),
                                                   ("Content-Length", "5")]), [400]),
    ("unknown-expectation", req("POST", SUBMIT, [*JSON, ("Expect", "teapot")], b"{"), [400]),
    ("continue-on-get", req(path=DOC, headers=[("Expect", "100-continue")], close=True), [200]),
    ("continue-on-1.0", req("POST", SUBMIT, [*JSON, ("Expect", "100-continue")], b"{",
                            version="1.0"), [400]),
]

# Every proper prefix of these is answered 400 (the request ended early);
# the empty one gets no answer.
TRUNCATED = {
    "get": req(path=NOWHERE),
    "post": post(b'{"script":"#!/bin/sh\\n","job":{"environment":{"A":"b"},"bogus":1}}'),
    "chunked": chunked(b'{"script":1,"job":{}}'),
}


def _truncations():
    for name, wire in TRUNCATED.items():
        yield f"{name}-whole", wire, [404 if name == "get" else 400]
        for cut in range(len(wire)):
            yield f"{name}-at-{cut}", wire[:cut], [400] if cut else []


CORPUS = {
    "request-line": REQUEST_LINES, "header": HEADERS, "auth": AUTH, "framing": FRAMING,
    "body": BODIES,
    "yaml": YAML_BODIES, "urlencoded": URLENCODED, "path": PATHS, "query": QUERIES,
    "pipelining": PIPELINING, "expect": EXPECT, "truncated": list(_truncations()),
}
JWT_ONLY = ("-a", "rest_auth/jwt")
CASES = [pytest.param(wire, statuses, JWT_ONLY if category == "auth" else (),
                      id=f"{category}:{name}")
         for category, cases in CORPUS.items() for name, wire, statuses in cases]

# Reproducers that get as far as Slurm (a running cluster answers them).
WITH_CLUSTER = [
    pytest.param(req(path=f"{API}/jobs?update_time={'9' * 5000}"), [304], id="jobs-update-time"),
    pytest.param(req(path=f"{API}/nodes?update_time={'9' * 5000}"), [304], id="nodes-update-time"),
    # Saturated as slurm_xlate_job_id reads it: Slurm's answer for a job it does not know.
    pytest.param(req(path=f"{API}/job/{'9' * 5000}"), [500], id="job-id-5000-digits"),
    pytest.param(req(path=f"{DB}/jobs?cpus_min={'9' * 5000}"), [200], id="slurmdb-cpus-min"),
    pytest.param(post(json.dumps({"QOS": [{"name": "rpy_bad", "usage_factor": 10 ** 400}]})
                      .encode(), path=f"{DB}/qos"), [400], id="slurmdb-usage-factor"),
    pytest.param(post(rb'{"accounts":[{"name":"\ud800"}]}', path=f"{DB}/accounts"), [400],
                 id="slurmdb-surrogate"),
    pytest.param(post(b'{"wckeys":[{"name":"w","cluster":"c","user":"u","id":' + b"9" * 30
                      + b"}]}", path=f"{DB}/wckeys"), [400], id="slurmdb-id-over-32-bits"),
    pytest.param(req("HEAD", f"{API}/ping", version="1.2", close=True), [200], id="head-ping"),
]


def check(wire: bytes, statuses: list[int], args=()) -> None:
    head = [0] if wire.startswith(b"HEAD ") else []  # the corpus puts HEAD first, if at all
    result = run_ours(wire, args, head_only=head)
    assert result.status_code == 0, result.stderr[-2000:]
    answered = [r for r in result.responses if r.status >= 200]
    assert [r.status for r in answered] == statuses, (result.raw[:600], result.stderr[-800:])
    assert result.leftover == b"", result.leftover[:200]
    for marker in TRACEBACK_MARKERS + (b"Internal error",):  # a 500 only from Slurm
        assert marker not in result.raw, result.raw[:2000]
    for marker in (b"Traceback", b"internal error"):
        assert marker not in result.stderr, result.stderr[-2000:]
    if answered and answered[-1].status >= 400:
        assert answered[-1].headers.get("connection", "").lower() == "close"
    if head and result.responses:
        assert result.responses[0].body == b""


@pytest.mark.parametrize("wire, statuses, args", CASES)
def test_malformed_request(wire, statuses, args):
    check(wire, statuses, args)


@pytest.mark.parametrize("wire, statuses", WITH_CLUSTER)
def test_malformed_request_that_reaches_slurm(wire, statuses):
    check(wire, statuses)


def test_the_corpus_is_large_and_every_category_present():
    assert len(CASES) >= 250
    assert all(len(cases) >= 5 for cases in CORPUS.values())
