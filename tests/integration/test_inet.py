"""slurmrestd-py in inet mode against the real cluster: HTTP, media types,
routing, local auth on fd 0, and the OpenAPI document it serves."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile

import h11
import pytest
import yaml

from conftest import (API, OURS, TIMEOUT, USER, assert_no_traceback, cluster_release, h11_exchange,
                      parse_responses, req, run_ours, validate)

NOT_FOUND = b"Unable find requested URL. Please view /openapi/v3 for API reference."
NOT_ALLOWED = (b"Requested REST method is not defined at URL. "
               b"Please view /openapi/v3 for API reference.")
PATH_ERROR = b"Unable to parse URL path."
AUTH_FAILURE = b"Authentication failure"
ENDPOINTS = {"ping": "pings", "diag": "statistics", "licenses": "licenses"}


def ok(result, n=1):
    """The daemon exited 0, answered `n` responses, wrote nothing after them."""
    assert result.status_code == 0, result.stderr
    assert len(result.responses) == n, result.raw[:1000]
    assert result.leftover == b"", result.leftover[:200]
    assert_no_traceback(result)
    return result.responses


def check_envelope(data: dict, payload_key: str) -> None:
    release = cluster_release()
    assert data["meta"] == {
        "plugin": {"type": "openapi/v0.0.38", "name": "Slurm OpenAPI v0.0.38"},
        "Slurm": {"version": dict(zip(("major", "minor", "micro"), map(int, release.split(".")))),
                  "release": release},
    }
    assert data["errors"] == []
    assert list(data) == ["meta", "errors", payload_key]


# ---- the three endpoints ----

@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_endpoint_answers_json_envelope(name, openapi_doc):
    (resp,) = ok(run_ours(req(path=f"{API}/{name}", close=True)))
    assert resp.status == 200
    assert resp.content_type == "application/json"
    assert int(resp.headers["content-length"]) == len(resp.body)
    data = resp.json()
    check_envelope(data, ENDPOINTS[name])
    validate(openapi_doc, (f"{API}/{name}", "get", 200), data)


def test_ping_reports_the_controller_up():
    (resp,) = ok(run_ours(req(close=True)))
    pings = resp.json()["pings"]
    assert len(pings) == 1
    assert pings[0]["ping"] == "UP" and pings[0]["status"] == 0
    assert pings[0]["mode"] == "primary"
    assert pings[0]["hostname"] == socket.gethostname()


def test_licenses_are_the_configured_ones():
    (resp,) = ok(run_ours(req(path=f"{API}/licenses", close=True)))
    totals = {lic["LicenseName"]: lic["Total"] for lic in resp.json()["licenses"]}
    assert totals == {"matlab": 4, "fluent": 2}  # Licenses=matlab:4,fluent:2 (cluster.sh)


# ---- connections ----

def test_pipelined_requests_on_one_connection():
    wire = (req(path=f"{API}/ping") + req(path=f"{API}/diag")
            + req(path=f"{API}/licenses", close=True))
    responses = ok(run_ours(wire), 3)
    assert [r.status for r in responses] == [200, 200, 200]
    assert [list(r.json())[2] for r in responses] == ["pings", "statistics", "licenses"]
    # Kept alive until the client asked to close.
    assert "connection" not in responses[0].headers
    assert "connection" not in responses[1].headers
    assert responses[2].headers["connection"].lower() == "close"


def test_pipelined_until_eof():
    """Without `Connection: close` the daemon answers everything, then ends at EOF."""
    responses = ok(run_ours(req() * 5), 5)
    assert all(r.status == 200 and "connection" not in r.headers for r in responses)


def test_many_pipelined_requests():
    responses = ok(run_ours(req() * 200), 200)
    assert {r.status for r in responses} == {200}


def test_pipelined_framing_with_h11_client():
    requests = [h11.Request(method="GET", target=f"{API}/{name}", headers=[("Host", "x")])
                for name in ENDPOINTS]
    ex = h11_exchange(requests)
    assert ex.status_code == 0
    assert [head.status_code for head, _ in ex.responses] == [200, 200, 200]
    assert ex.trailing == b"" and ex.closed
    for (head, body), key in zip(ex.responses, ENDPOINTS.values()):
        assert key in json.loads(body)


def test_http_1_0():
    (resp,) = ok(run_ours(req(version="1.0", host=False)))
    assert resp.status == 200
    # A 1.0 connection is not persistent: the daemon says so and closes.
    assert resp.headers.get("connection", "").lower() == "close"
    check_envelope(resp.json(), "pings")


def test_http_1_0_answers_only_the_first_request():
    (resp,) = ok(run_ours(req(version="1.0") + req(version="1.0")))
    assert resp.status == 200


def test_connection_close_one_response_and_nothing_after():
    # A second request after the closing one must not be answered.
    wire = req(close=True) + req(path=f"{API}/licenses")
    result = run_ours(wire)
    (resp,) = ok(result)
    assert resp.status == 200
    assert resp.headers["connection"].lower() == "close"
    body_len = int(resp.headers["content-length"])
    assert body_len == len(resp.body)
    # The body ends the output: no stray header line after it (a fault of the reference).
    head_end = result.raw.index(b"\r\n\r\n") + 4
    assert len(result.raw) == head_end + body_len
    assert result.raw.endswith(b"}")


def test_connection_close_framing_with_h11_client():
    ex = h11_exchange([h11.Request(method="GET", target=f"{API}/ping",
                                   headers=[("Host", "x"), ("Connection", "close")])])
    assert ex.status_code == 0
    ((head, body),) = ex.responses
    assert head.status_code == 200 and (b"connection", b"close") in list(head.headers)
    assert ex.trailing == b"" and ex.closed
    check_envelope(json.loads(body), "pings")


def test_head_has_headers_but_no_body():
    result = run_ours(req(method="HEAD", close=True), head_only=(0,))
    (resp,) = ok(result)
    assert resp.status == 200
    assert int(resp.headers["content-length"]) > 0
    assert result.raw.endswith(b"\r\n\r\n")


def test_empty_input_exits_quietly():
    result = run_ours(b"")
    assert result.status_code == 0 and result.raw == b""


# ---- media types ----

@pytest.mark.parametrize("accept", ["application/x-yaml", "text/yaml"])
@pytest.mark.parametrize("name", ["ping", "licenses"])
def test_yaml_same_data_as_json(accept, name):
    wire = (req(path=f"{API}/{name}") +
            req(path=f"{API}/{name}", headers=[("Accept", accept)], close=True))
    as_json, as_yaml = ok(run_ours(wire), 2)
    assert as_json.content_type == "application/json"
    assert as_yaml.status == 200 and as_yaml.content_type == accept
    assert yaml.safe_load(as_yaml.body) == as_json.json()


def test_yaml_diag_parses_to_the_same_structure():
    (resp,) = ok(run_ours(req(path=f"{API}/diag", headers=[("Accept", "text/yaml")],
                              close=True)))
    data = yaml.safe_load(resp.body)
    check_envelope(data, "statistics")
    assert isinstance(data["statistics"]["rpcs_by_message_type"], list)


@pytest.mark.parametrize("accept, expected", [
    ("text/yaml;q=0.2, application/json;q=0.9", "application/json"),
    ("application/json;q=0.2, text/yaml;q=0.9", "text/yaml"),
    ("text/yaml;q=0.9, application/json;q=0.2", "text/yaml"),
    ("application/x-yaml;q=0.5, application/json", "application/json"),
    ("text/html, application/x-yaml;q=0.1", "application/x-yaml"),
    ("*/*", "application/json"),
    ("application/*", "application/json"),
    ("text/html, */*;q=0.1", "application/json"),
])
def test_accept_q_values(accept, expected):
    (resp,) = ok(run_ours(req(headers=[("Accept", accept)], close=True)))
    assert resp.status == 200
    assert resp.content_type == expected


@pytest.mark.parametrize("accept", ["text/html", "application/xml, text/html;q=0.5",
                                    "application/json;q=0"])
def test_unacceptable_type_is_415(accept):
    (resp,) = ok(run_ours(req(headers=[("Accept", accept)], close=True)))
    assert resp.status == 415
    assert resp.content_type == "text/plain"
    assert resp.body == b"Accept content type is unknown"


# ---- routing and request errors ----

@pytest.mark.parametrize("path", ["/nope", f"{API}/pingx", "/slurm/v0.0.37/nope", "/",
                                  f"{API}/ping/extra"])
def test_unknown_path_is_404(path):
    (resp,) = ok(run_ours(req(path=path, close=True)))
    assert resp.status == 404
    assert resp.content_type == "text/plain"
    assert resp.body == NOT_FOUND
    assert resp.headers["connection"].lower() == "close"


@pytest.mark.parametrize("method", ["DELETE", "PUT", "POST"])
def test_wrong_method_is_405(method):
    body = b"{}" if method in ("PUT", "POST") else None
    (resp,) = ok(run_ours(req(method=method, body=body, close=True,
                              headers=[("Content-Type", "application/json")] if body else [])))
    assert resp.status == 405
    assert resp.body == NOT_ALLOWED


@pytest.mark.parametrize("path", [f"{API}/../v0.0.38/ping", f"{API}/..", "/../slurm",
                                  f"{API}/%2e%2e/v0.0.38/ping", f"{API}/p!ng"])
def test_bad_path_is_400(path):
    (resp,) = ok(run_ours(req(path=path, close=True)))
    assert resp.status == 400
    assert resp.body == PATH_ERROR


def test_body_on_get_is_400():
    (resp,) = ok(run_ours(req(body=b"{}", close=True)))
    assert resp.status == 400
    assert resp.content_type == "text/plain"
    assert b"body" in resp.body


@pytest.mark.parametrize("wire, what", [
    (b"GARBAGE\r\n\r\n", b"request line"),
    (b"GET /slurm/v0.0.38/ping\r\n\r\n", b"request line"),  # HTTP/0.9
    (b"GET /slurm/v0.0.38/p ng HTTP/1.1\r\nHost: x\r\n\r\n", b"request line"),
    (b"\r\n\r\n", b"request line"),
])
def test_malformed_request_line_is_400_and_exit_0(wire, what):
    """The reference answers `HTTP/0.9 400 BAD REQUEST` and exits 1."""
    (resp,) = ok(run_ours(wire))
    assert resp.version == "HTTP/1.1"
    assert resp.status == 400
    assert resp.content_type == "text/plain"
    assert what in resp.body


def test_oversized_header_block_is_431_and_exit_0():
    (resp,) = ok(run_ours(req(headers=[("X-Big", "a" * 100 * 1024)], close=True)))
    assert resp.status == 431
    assert resp.headers["connection"].lower() == "close"


def test_oversized_header_block_in_small_pieces():
    headers = [(f"X-H{i}", "b" * 1000) for i in range(100)]
    (resp,) = ok(run_ours(req(headers=headers, close=True)))
    assert resp.status == 431


def test_post_without_length_on_1_1_is_411():
    (resp,) = ok(run_ours(b"POST /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert resp.status == 411


def test_chunked_post_body_is_read():
    """The reference answers a chunked body with 406 (then a headerless 400);
    ours reads it and routes the request: /ping has no POST, so 405."""
    wire = (b"POST /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n")
    (resp,) = ok(run_ours(wire))
    assert resp.status == 405
    assert resp.body == NOT_ALLOWED


def test_chunked_framing_is_consumed_exactly():
    """An empty chunked body on GET is no body; the pipelined request after
    it is parsed from the right byte."""
    wire = (b"GET /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"\r\n0\r\n\r\n" + req(path=f"{API}/licenses", close=True))
    first, second = ok(run_ours(wire), 2)
    assert (first.status, second.status) == (200, 200)
    assert "licenses" in second.json()


def test_chunked_body_on_get_is_400():
    wire = (b"GET /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"\r\n2\r\n{}\r\n0\r\n\r\n")
    (resp,) = ok(run_ours(wire))
    assert resp.status == 400


def test_content_type_with_charset_accepted():
    """The reference answers 400 to `application/json; charset=utf-8`; ours
    parses the body and routes: /ping has no POST, so 405, not 400/415."""
    (resp,) = ok(run_ours(req(method="POST", body=b'{"a": 1}', close=True,
                              headers=[("Content-Type", "application/json; charset=utf-8")])))
    assert resp.status == 405


def test_expect_100_continue():
    wire = (b"POST /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    result = run_ours(wire)
    assert result.status_code == 0 and result.leftover == b""
    assert result.responses[-1].status == 405
    assert all(r.status == 100 for r in result.responses[:-1])


@pytest.mark.parametrize("path", [f"{API}/ping/", "//slurm//v0.0.38//ping",
                                  f"{API}//ping//", f"{API}/p%69ng"])
def test_slashes_and_escapes_route_the_same(path):
    wire = req() + req(path=path, close=True)
    plain, other = ok(run_ours(wire), 2)
    assert other.status == 200
    assert other.json() == plain.json()


def test_query_string_ignored_on_ping():
    (resp,) = ok(run_ours(req(path=f"{API}/ping?x=1", close=True)))
    assert resp.status == 200


# ---- local auth on fd 0 ----

def _communicate(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def _daemon_env():
    return {**os.environ, "SLURMRESTD_LOG_STDERR": "1"}


def test_unix_socketpair_on_stdin_is_served():
    """xinetd/systemd `Accept=yes` hand over a socket: SO_PEERCRED names the
    peer (root here, which local auth accepts as the daemon's own user).
    The reference refuses this (a fault)."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        proc = subprocess.Popen([OURS], stdin=theirs, stdout=theirs, stderr=subprocess.PIPE,
                                user=USER, group=USER, extra_groups=[], env=_daemon_env())
        theirs.close()
        raw = _communicate(ours, req(path=f"{API}/ping") + req(path=f"{API}/licenses", close=True))
        assert proc.wait(TIMEOUT) == 0, proc.stderr.read()
        proc.stderr.close()
    responses, leftover, _ = parse_responses(raw)
    assert [r.status for r in responses] == [200, 200] and leftover == b""
    check_envelope(responses[0].json(), "pings")


_BOB_SOCKETPAIR = """
import socket, sys
carrier = socket.socket(fileno=int(sys.argv[1]))
a, b = socket.socketpair()
socket.send_fds(carrier, [b"x"], [a.fileno(), b.fileno()])
"""


def test_unix_socket_of_another_user_is_refused():
    """A socketpair bob created: SO_PEERCRED says bob, who is neither root
    nor the daemon's user."""
    carrier, child = socket.socketpair()
    with carrier, child:
        subprocess.run([sys.executable, "-c", _BOB_SOCKETPAIR, str(child.fileno())],
                       pass_fds=[child.fileno()], user="bob", group="bob", extra_groups=[],
                       check=True, timeout=TIMEOUT)
        _, fds, _, _ = socket.recv_fds(carrier, 1, 2)
    ours, theirs = (socket.socket(fileno=fd) for fd in fds)
    with ours, theirs:
        proc = subprocess.Popen([OURS], stdin=theirs, stdout=theirs, stderr=subprocess.DEVNULL,
                                user=USER, group=USER, extra_groups=[], env=_daemon_env())
        theirs.close()
        raw = _communicate(ours, req(close=True))
        assert proc.wait(TIMEOUT) == 0
    (resp,), leftover, _ = parse_responses(raw)
    assert resp.status == 401 and resp.body == AUTH_FAILURE and leftover == b""


def _alice_file(mode: int, content: bytes) -> str:
    fd, name = tempfile.mkstemp(prefix="slurmrestd-py-test-")
    os.write(fd, content)
    os.close(fd)
    pw = __import__("pwd").getpwnam(USER)
    os.chown(name, pw.pw_uid, pw.pw_gid)
    os.chmod(name, mode)
    return name


def _run_with_stdin(stdin) -> tuple[int, list]:
    proc = subprocess.run([OURS], stdin=stdin, capture_output=True, user=USER, group=USER,
                          extra_groups=[], env=_daemon_env(), timeout=TIMEOUT)
    responses, leftover, _ = parse_responses(proc.stdout)
    assert leftover == b""
    assert_no_traceback(proc.stdout)
    return proc.returncode, responses


@pytest.mark.parametrize("mode, status", [(0o644, 401), (0o604, 401), (0o600, 200),
                                          (0o640, 200), (0o4600, 401)])
def test_regular_file_on_stdin(mode, status):
    """Alice's own file is trusted unless others may read or write it, or it is set-id."""
    name = _alice_file(mode, req(close=True))
    try:
        with open(name, "rb") as f:
            rc, responses = _run_with_stdin(f)
    finally:
        os.unlink(name)
    assert rc == 0
    assert [r.status for r in responses] == [status]
    if status == 401:
        assert responses[0].body == AUTH_FAILURE


def test_pipe_of_another_user_is_refused():
    """The test process (root) creates the pipe; the daemon runs as alice."""
    proc = subprocess.run([OURS], input=req(close=True), capture_output=True, user=USER,
                          group=USER, extra_groups=[], env=_daemon_env(), timeout=TIMEOUT)
    assert proc.returncode == 0
    (resp,), leftover, _ = parse_responses(proc.stdout)
    assert resp.status == 401 and resp.body == AUTH_FAILURE and leftover == b""
    assert resp.headers["connection"].lower() == "close"


def test_auth_failure_precedes_routing():
    proc = subprocess.run([OURS], input=req(path="/nope", close=True), capture_output=True,
                          user=USER, group=USER, extra_groups=[], env=_daemon_env(),
                          timeout=TIMEOUT)
    (resp,), _, _ = parse_responses(proc.stdout)
    assert resp.status == 401


# ---- the OpenAPI document ----

def test_openapi_document_is_valid_openapi_3_0(openapi_doc):
    from openapi_spec_validator import validate as validate_spec
    assert openapi_doc["openapi"].startswith("3.0.")
    validate_spec(openapi_doc)


def test_openapi_document_lists_the_endpoints(openapi_doc):
    for name in ENDPOINTS:
        assert "get" in openapi_doc["paths"][f"{API}/{name}"]
    ids = [op["operationId"] for path in openapi_doc["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))


def test_openapi_paths_serve_the_same_document():
    paths = ["/openapi.json", "/openapi", "/openapi/v3", "/openapi/v3/"]
    wire = b"".join(req(path=p, close=(i == len(paths) - 1)) for i, p in enumerate(paths))
    responses = ok(run_ours(wire), len(paths))
    assert {r.status for r in responses} == {200}
    assert {r.content_type for r in responses} == {"application/json"}
    first = responses[0].json()
    assert all(r.json() == first for r in responses[1:])


@pytest.mark.parametrize("accept", [None, "application/json", "text/html"])
def test_openapi_yaml_is_yaml_whatever_the_accept(accept, openapi_doc):
    headers = [("Accept", accept)] if accept else []
    (resp,) = ok(run_ours(req(path="/openapi.yaml", headers=headers, close=True)))
    assert resp.status == 200
    assert resp.content_type in ("application/x-yaml", "text/yaml")
    assert not resp.body.lstrip().startswith(b"{")
    assert yaml.safe_load(resp.body) == openapi_doc


def test_openapi_json_as_yaml_on_request(openapi_doc):
    (resp,) = ok(run_ours(req(path="/openapi.json", headers=[("Accept", "text/yaml")],
                              close=True)))
    assert resp.content_type == "text/yaml"
    assert yaml.safe_load(resp.body) == openapi_doc


def test_every_ref_in_the_document_resolves(openapi_doc):
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(openapi_doc)
    assert refs
    schemas = openapi_doc["components"]["schemas"]
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_responses_validate_strictly(name, openapi_doc):
    """Every key present is declared, with the declared type; and every
    declared top-level key is present."""
    (resp,) = ok(run_ours(req(path=f"{API}/{name}", close=True)))
    data = resp.json()
    validate(openapi_doc, (f"{API}/{name}", "get", 200), data, strict=True)
    ref = openapi_doc["paths"][f"{API}/{name}"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]["$ref"]
    declared = openapi_doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(data) == set(declared)


def test_validate_helper_catches_mismatches(openapi_doc):
    """The validation helper itself is not vacuous."""
    import jsonschema
    (resp,) = ok(run_ours(req(close=True)))
    data = resp.json()
    data["pings"][0]["status"] = "zero"
    with pytest.raises(jsonschema.ValidationError):
        validate(openapi_doc, (f"{API}/ping", "get", 200), data)
    data = resp.json()
    data["pings"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate(openapi_doc, (f"{API}/ping", "get", 200), data, strict=True)


# ---- nothing breaks badly ----

P = b"/slurm/v0.0.38/ping"
HOSTILE = {
    "content-length-text": b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "content-length-negative": b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "content-length-conflict": (b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                                b"Content-Length: 2\r\n\r\nab"),
    "content-length-huge": (b"POST " + P + b" HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Length: 99999999999999999999999\r\n\r\n"),
    "content-length-over-limit": (b"POST " + P + b" HTTP/1.1\r\nHost: x\r\n"
                                  b"Content-Length: 60000000\r\n\r\n"),
    "body-truncated": b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
    "transfer-encoding-gzip": b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    "bad-chunk": b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "header-without-colon": b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nBogus\r\n\r\n",
    "header-nul": b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
    "path-non-ascii": b"GET /slurm/v0.0.38/p\xc3\xa9ng HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-bad-escape": b"GET /slurm/v0.0.38/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-escaped-nul": b"GET /slurm/v0.0.38/%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-escaped-ff": b"GET /slurm/v0.0.38/%ff HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-absolute-form": b"GET http://x/slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-asterisk": b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-relative": b"GET slurm HTTP/1.1\r\nHost: x\r\n\r\n",
    "path-very-long": b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "http-2": b"GET " + P + b" HTTP/2.0\r\nHost: x\r\n\r\n",
    "connect": b"CONNECT x:80 HTTP/1.1\r\nHost: x\r\n\r\n",
    "unknown-method": b"FOO " + P + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "query-bad": b"GET " + P + b"?%zz=1&&= HTTP/1.1\r\nHost: x\r\n\r\n",
    "accept-junk": b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nAccept: ;;;,,\r\n\r\n",
    "accept-bad-q": b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nAccept: text/yaml;q=abc, */*;q=nan\r\n\r\n",
    "two-hosts": b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    "post-bad-json": (b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 3\r\n\r\n{{{"),
    "post-unknown-type": (b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                          b"Content-Length: 3\r\n\r\nabc"),
    "openapi-post": (b"POST /openapi.json HTTP/1.1\r\nHost: x\r\nContent-Type: text/yaml\r\n"
                     b"Content-Length: 5\r\n\r\n: : :"),
    "lf-only": b"GET " + P + b" HTTP/1.1\nHost: x\n\n",
    "partial-request-line": b"GET " + P + b" HTT",
    "binary": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_gets_a_clean_answer(name):
    """Whatever arrives: exit 0, complete responses only, no 5xx but the
    deliberate 501/505, no traceback text."""
    result = run_ours(HOSTILE[name])
    assert result.status_code == 0, result.stderr
    assert result.leftover == b"", result.leftover[:200]
    assert_no_traceback(result)
    assert b"Traceback" not in result.stderr
    for resp in result.responses:
        assert resp.status < 500 or resp.status in (501, 505), (resp.status, resp.body)
        if resp.status >= 400:
            assert resp.content_type == "text/plain" and resp.body
            assert resp.headers["connection"].lower() == "close"


def test_validate_helper_checks_int64_range(openapi_doc):
    (resp,) = ok(run_ours(req(path=f"{API}/licenses", close=True)))
    data = resp.json()
    data["licenses"][0]["Total"] = 2 ** 64 - 2  # NO_VAL64 read as unsigned
    import jsonschema
    with pytest.raises(jsonschema.ValidationError):
        validate(openapi_doc, (f"{API}/licenses", "get", 200), data)
