"""Run slurmrestd-py and the reference slurmrestd in inet mode, as user alice.

Both daemons read one client's requests on fd 0 and answer on fd 1. Local
auth trusts a pipe only if the daemon's own user created it, so the request
bytes go through a `cat` that alice's shell starts:

    root --pipe--> sh (alice): cat --alice's pipe--> daemon (alice)

Responses are split with a hand parser that knows Content-Length, chunked
and close-delimited bodies and any number of pipelined responses, and keeps
whatever it could not parse (`Result.leftover`) so tests can insist there is
nothing after the last body.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import json
import os
import subprocess
from dataclasses import dataclass, field

import pytest

OURS = os.environ.get("SLURMRESTD_PY", "/opt/slurmrestd-py/bin/slurmrestd-py")
REFERENCE = os.environ.get("SLURMRESTD_REFERENCE", "/usr/sbin/slurmrestd")

# The Slurm release ours is built against and runs on. tests/run.sh runs this
# suite on the machine (22.05) or, with SLURMRESTD_PY_RELEASE=24.11, inside
# tests/cluster24.sh's trixie root, where the machine's root is /host
# (ROOT22) and the 24.11 root is / (ROOT24). Everything here that names no
# root (scontrol, sbatch, run_ours) acts on ours' own cluster.
RELEASE = os.environ.get("SLURMRESTD_PY_RELEASE", "22.05")
ROOT22 = os.environ.get("ROOT22") or None  # where the 22.05 reference and its cluster are
# On 24.11 the 24.11 reference answers for ours' own cluster: fixtures are made
# once, and its values are ours' to match exactly.
SAME_CLUSTER24 = RELEASE == "24.11"
USER = "alice"
API = "/slurm/v0.0.38"
TIMEOUT = 60

# -s v0.0.38: only the plugin these tests compare (the dbv plugins load fine
# too, just more slowly; the benchmark covers the defaults).
REFERENCE_ARGS = ("-a", "rest_auth/local", "-s", "v0.0.38")
# The /slurm versions the differential tests compare where the comparison is
# the same: a test parametrized with `api` runs its paths under each.
# v0.0.36 has no update_time and other errors: APIS_36 where it compares alike.
V36 = "/slurm/v0.0.36"
APIS = (API, "/slurm/v0.0.37")
APIS_36 = (*APIS, V36)


def in_api(path: str, api: str) -> str:
    """`path` (written under API) under the version `api`."""
    return api + path[len(API):] if path.startswith(API + "/") else path


def reference_args(path: str) -> tuple:
    """The reference's arguments for `path`: -s the version the path names."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "slurm" and parts[2] in {a.split("/")[2] for a in APIS_36}:
        return ("-a", "rest_auth/local", "-s", parts[2])
    return REFERENCE_ARGS

# The reference's fault: after the last body of a `Connection: close`
# exchange it writes this header line again.
REFERENCE_STRAY = b"Connection: Close\r\n"

# What must never reach a client.
TRACEBACK_MARKERS = (b"Traceback (most recent call last)", b'File "/', b"Error:\n  File")


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    version: str = "HTTP/1.1"
    reason: str = ""
    header_list: list[tuple[str, str]] = field(default_factory=list)

    # Unpacks as (status, headers, body), as the brief's tuples do.
    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def json(self):
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Result:
    status_code: int  # the daemon's exit status
    responses: list[HttpResponse]
    stderr: bytes
    raw: bytes
    leftover: bytes = b""  # bytes after the last response the parser could not frame
    stray: bool = False  # the reference's stray `Connection: Close` line was removed

    @property
    def response(self) -> HttpResponse:
        assert len(self.responses) == 1, f"expected one response, got {len(self.responses)}: {self.raw[:500]!r}"
        return self.responses[0]


class ParseError(Exception):
    pass


def _read_line(data: bytes, pos: int) -> tuple[bytes, int]:
    end = data.find(b"\n", pos)
    if end < 0:
        raise ParseError(f"unterminated line at {pos}: {data[pos:pos + 80]!r}")
    line = data[pos:end]
    if line.endswith(b"\r"):
        line = line[:-1]
    return line, end + 1


def _parse_one(data: bytes, pos: int, head_only: bool) -> tuple[HttpResponse, int]:
    line, pos = _read_line(data, pos)
    parts = line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ParseError(f"bad status line {line!r}")
    version, status = parts[0], int(parts[1])
    reason = parts[2] if len(parts) > 2 else ""
    header_list = []
    while True:
        line, pos = _read_line(data, pos)
        if not line:
            break
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or not name or name != name.strip():
            raise ParseError(f"bad header line {line!r}")
        header_list.append((name.lower(), value.strip()))
    headers: dict[str, str] = {}
    for name, value in header_list:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    if head_only or 100 <= status < 200 or status in (204, 304):
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            line, pos = _read_line(data, pos)
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:  # trailers
                    line, pos = _read_line(data, pos)
                    if not line:
                        break
                break
            if pos + size + 2 > len(data) or data[pos + size:pos + size + 2] != b"\r\n":
                raise ParseError("bad chunk framing")
            chunks.append(data[pos:pos + size])
            pos += size + 2
        body = b"".join(chunks)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        if pos + length > len(data):
            raise ParseError(f"body shorter than Content-Length {length}")
        body, pos = data[pos:pos + length], pos + length
    else:  # close-delimited
        body, pos = data[pos:], len(data)
    return HttpResponse(status, headers, body, version, reason, header_list), pos


def parse_responses(data: bytes, head_only=(), reference=False):
    """(responses, leftover, stray): every response in `data`, in order.

    `head_only`: indices of responses that answer HEAD (no body).
    `reference`: drop the reference's stray `Connection: Close` line at the end.
    """
    responses, pos, stray = [], 0, False
    while pos < len(data):
        if reference and data[pos:] == REFERENCE_STRAY:
            stray = True
            pos = len(data)
            break
        try:
            resp, pos = _parse_one(data, pos, len(responses) in head_only)
        except (ParseError, ValueError):
            break
        responses.append(resp)
    return responses, data[pos:], stray


def _run(cmd, request: bytes, env=None, reference=False, head_only=(), timeout=TIMEOUT,
         user=USER, root=None) -> Result:
    """`cmd` as `user`, `request` on a pipe that user made; `root`: inside
    that root directory (chroot first, then runuser there)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [*(("chroot", root) if root else ()),
         "runuser", "-u", user, "--", "sh", "-c", 'cat | exec "$@"', "sh", *cmd],
        input=request, capture_output=True, env=full_env, timeout=timeout)
    responses, leftover, stray = parse_responses(proc.stdout, head_only, reference)
    return Result(proc.returncode, responses, proc.stderr, proc.stdout, leftover, stray)


def run_ours(request: bytes, args=(), env=None, **kw) -> Result:
    """slurmrestd-py in inet mode as alice, `request` on a pipe alice made."""
    env = {"SLURMRESTD_LOG_STDERR": "1", **(env or {})}
    return _run([OURS, *args], request, env, **kw)


def run_reference(request: bytes, args=REFERENCE_ARGS, env=None, **kw) -> Result:
    """The 22.05 reference slurmrestd in inet mode as alice, the same way."""
    return _run([REFERENCE, *args], request, env, reference=True, root=ROOT22, **kw)


@functools.lru_cache(maxsize=None)
def cluster_release() -> str:
    """The release of ours' cluster's Slurm ("22.05.8"), as its scontrol says."""
    out = subprocess.run(["scontrol", "--version"], capture_output=True, text=True, check=True,
                         timeout=TIMEOUT).stdout
    return out.split()[1]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cluster22: compares values with the 22.05 reference on ours' own cluster")


def pytest_collection_modifyitems(config, items):
    """On 24.11, ours' cluster is not the 22.05 reference's: 24.11's slurmctld
    refuses a 22.05 client ("protocol_version 9728 not supported"). The
    cluster22 tests are skipped there; test_v38_on_24 compares the shapes of
    v0.0.36-38 with the 22.05 reference's and their values with ours' v0.0.42."""
    if RELEASE == "22.05":
        return
    skip = pytest.mark.skip(reason="values of the 22.05 reference, which cannot reach ours' "
                                   "cluster (24.11) to compare")
    for item in items:
        if item.get_closest_marker("cluster22"):
            item.add_marker(skip)


# ---- the Slurm 24.11 reference: tests/cluster24.sh's cluster in a trixie root ----

ROOT24 = os.environ.get("ROOT24", "/var/lib/slurmrestd-py/trixie")
REFERENCE24 = "/usr/sbin/slurmrestd"  # inside ROOT24
# Its default plugins: openapi/slurmctld and openapi/slurmdbd, each with the
# data parsers v0.0.40, v0.0.41 and v0.0.42 (the document below lists them).
REFERENCE24_ARGS = ("-a", "rest_auth/local")
REFERENCE24_SPEC_ARGS = ("-s", "slurmctld,slurmdbd", "-d", "v0.0.42,v0.0.41,v0.0.40")


def require_reference24():
    """Skip unless tests/cluster24.sh built the 24.11 root (tests/run.sh does)."""
    if not os.path.exists(ROOT24 + REFERENCE24):
        pytest.skip(f"no Slurm 24.11 root at {ROOT24}: run 'bash tests/cluster24.sh up'")


def run_reference24(request: bytes, user: str = USER, args=REFERENCE24_ARGS, env=None, **kw) -> Result:
    """The Slurm 24.11 reference slurmrestd in inet mode inside its root, as
    `user`, the way run_reference runs the 22.05 one (it writes the same
    stray header line after a closing response)."""
    require_reference24()
    result = _run([REFERENCE24, *args], request, env, reference=True, user=user, root=ROOT24, **kw)
    if result.status_code and result.responses and b"Unable to start polling" in result.stderr:
        # After some answers it dies polling the pipe it has read to the end
        # (exit 1): a fault of its own, the answers are whole.
        result.status_code = 0
    return result


@functools.lru_cache(maxsize=None)
def _reference24_doc_json() -> bytes:
    proc = subprocess.run(
        ["chroot", ROOT24, "runuser", "-u", USER, "--", REFERENCE24,
         "--generate-openapi-spec", *REFERENCE24_SPEC_ARGS],
        capture_output=True, timeout=TIMEOUT, check=True)
    return proc.stdout


def reference24_doc() -> dict:
    """The 24.11 reference's generated OpenAPI document (made once per session;
    each call returns a fresh copy)."""
    require_reference24()
    return json.loads(_reference24_doc_json())


def req(method: str = "GET", path: str = API + "/ping", headers=(), body: bytes | None = None,
        version: str = "1.1", close: bool = False, host: bool = True) -> bytes:
    """One request's bytes. Content-Length is added for a body unless a
    Content-Length or Transfer-Encoding header is given."""
    lines = [f"{method} {path} HTTP/{version}"]
    names = {n.lower() for n, _ in headers}
    if host and "host" not in names:
        lines.append("Host: localhost")
    lines += [f"{n}: {v}" for n, v in headers]
    if body is not None and not names & {"content-length", "transfer-encoding"}:
        lines.append(f"Content-Length: {len(body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def assert_no_traceback(result_or_body) -> None:
    data = result_or_body.raw if isinstance(result_or_body, Result) else result_or_body
    for marker in TRACEBACK_MARKERS:
        assert marker not in data, f"traceback text on the wire: {data[:2000]!r}"


# ---- the OpenAPI document and validation against it ----

def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def _strict(node):
    """A copy where every object schema with properties forbids other keys,
    so a key the document does not declare fails validation."""
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


def response_schema(doc: dict, path: str, method: str = "get", status: int | str = 200,
                    media_type: str = "application/json") -> dict:
    """The schema the document declares for one response (its `default` if
    the status is not listed), $ref not yet resolved."""
    responses = doc["paths"][path][method.lower()]["responses"]
    entry = responses.get(str(status)) or responses["default"]
    return entry["content"][media_type]["schema"]


def validate(doc: dict, target, body, strict: bool = True) -> None:
    """Validate `body` (bytes, str or data) against the served document.

    `target` is a schema, a "#/components/schemas/..." reference, or a
    (path, method, status) tuple naming a response (its `default` entry when
    the status is not listed). With `strict`, keys the document does not
    declare are errors too. OpenAPI 3.0's `nullable` and the int32/int64
    formats are handled by openapi_schema_validator's OAS30Validator.
    Raises jsonschema.ValidationError.
    """
    if isinstance(body, (bytes, str)):
        body = json.loads(body)
    if isinstance(target, tuple):
        schema = response_schema(doc, *target)
    elif isinstance(target, str):
        schema = {"$ref": target}
    else:
        schema = target
    components = doc.get("components", {})
    if strict:
        components = _strict(components)
        schema = _strict(schema)
    root = {**copy.deepcopy(schema), "components": components}
    try:
        from openapi_schema_validator import OAS30Validator, oas30_format_checker
    except ImportError:  # plain JSON Schema: no `nullable`, close enough for non-null data
        from jsonschema import Draft4Validator as OAS30Validator
        from jsonschema import FormatChecker
        oas30_format_checker = FormatChecker()
    # The format checker makes `format: int64` / `int32` range checks real:
    # an unsigned NO_VAL64 sent where int64 is declared fails.
    OAS30Validator(root, format_checker=oas30_format_checker).validate(body)


@pytest.fixture(scope="session")
def openapi_doc() -> dict:
    result = run_ours(req(path="/openapi.json", close=True))
    resp = result.response
    assert resp.status == 200, resp
    return resp.json()


@pytest.fixture(scope="session")
def reference_doc() -> dict:
    return one(run_reference(req(path="/openapi.json", close=True))).json()


def declared_alike(ours: dict, ref: dict, paths, schema: str) -> tuple[dict, dict]:
    """Each GET of `paths` has the reference's operationId and parameters in
    both documents; returns the properties of `schema` in (ref, ours)."""
    for path in paths:
        r_op, o_op = ref["paths"][path]["get"], ours["paths"][path]["get"]
        assert o_op["operationId"] == r_op["operationId"], path
        assert {(p["name"], p["in"]) for p in o_op["parameters"]} == \
            {(p["name"], p["in"]) for p in r_op["parameters"]}, path
    return (ref["components"]["schemas"][schema]["properties"],
            ours["components"]["schemas"][schema]["properties"])


# ---- a strict client: h11 frames the responses ----

@dataclass
class H11Exchange:
    status_code: int
    responses: list  # (h11.Response, body bytes)
    trailing: bytes  # bytes after the last response h11 framed
    closed: bool  # the daemon closed the connection after the last response
    raw: bytes


def h11_exchange(requests, runner=None) -> H11Exchange:
    """Send `requests` (h11.Request events, bodiless) pipelined on one
    connection and frame the answers with h11 as a client would: one h11
    client per request, each handing its unparsed bytes to the next.
    A framing mistake in the daemon raises h11.RemoteProtocolError."""
    import h11
    clients, wire = [], b""
    for request in requests:
        client = h11.Connection(h11.CLIENT)
        wire += client.send(request) + client.send(h11.EndOfMessage())
        clients.append(client)
    result = (runner or run_ours)(wire)
    data, closed, responses = result.raw, True, []
    for client in clients:
        client.receive_data(data)
        client.receive_data(b"")  # the daemon has exited: EOF follows
        head, body = None, b""
        while True:
            event = client.next_event()
            if isinstance(event, h11.InformationalResponse):
                continue
            if isinstance(event, h11.Response):
                head = event
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                responses.append((head, body))
                break
            else:  # ConnectionClosed or PAUSED before a whole response
                break
        if head is None or not responses or responses[-1][0] is not head:
            break
        data, closed = client.trailing_data
    else:
        data, closed = clients[-1].trailing_data if clients else (b"", True)
    return H11Exchange(result.status_code, responses, bytes(data), closed, result.raw)


def one(result):
    """The single response of a one-request exchange, cleanly framed, exit 0."""
    assert result.status_code == 0, result.stderr[-2000:]
    assert len(result.responses) == 1, result.raw[:500]
    assert result.leftover == b"", result.leftover[:200]
    assert_no_traceback(result)
    return result.responses[0]


def get_both(path, headers=()):
    """GET `path` from the reference (serving the path's version) and from
    ours: (reference, ours) responses."""
    wire = req(path=path, headers=headers, close=True)
    return one(run_reference(wire, reference_args(path))), one(run_ours(wire))


def json_of(resp):
    """JSON data of a body. The reference copies a job string's bytes as they
    are (another test's job may carry invalid UTF-8); we write U+FFFD."""
    return json.loads(resp.body.decode("utf-8", "replace"))


def same_list(ref_records, our_records):
    """Same records, each with its keys in the same order."""
    assert [list(r) for r in our_records] == [list(r) for r in ref_records]
    assert our_records == ref_records


def check_same(path, openapi_doc, template, key, status=200, same=same_list, headers=(),
               key_always=True, api=API):
    """GET `path` from both daemons: same status; for 304 both bodies empty
    (returns None); else the same envelope (keys in order, meta, errors), the
    `key` lists compared by `same(ref, ours)`, and ours valid against the
    document. `key_always`: the answer must carry `key`. `api`: the version
    `path` and `template` (written under API) are sent to. Returns (ref, ours) data."""
    path, template = in_api(path, api), in_api(template, api)
    ref, ours = get_both(path, headers)
    assert (ref.status, ours.status) == (status, status), (ref.body[:300], ours.body[:300])
    if status == 304:
        assert ref.body == ours.body == b""
        return None
    assert ref.content_type == ours.content_type == "application/json"
    rd, od = json_of(ref), json_of(ours)
    assert list(od) == list(rd)
    assert list(rd) == ["meta", "errors", key] or (
        not key_always and list(rd) == ["meta", "errors"]), list(rd)
    assert od["meta"] == rd["meta"]
    assert od["errors"] == rd["errors"]
    if key in rd:
        same(rd[key], od[key])
    validate(openapi_doc, (template, "get", status), od)
    return rd, od


def shape(value):
    """Keys at every level and JSON types of values; a list is the sorted set
    of its elements' shapes."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        shapes = {json.dumps(shape(v), sort_keys=True) for v in value}
        return ["array", [json.loads(s) for s in sorted(shapes)]]
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    assert value is None, repr(value)
    return "null"


@contextlib.contextmanager
def created(fixtures: dict, key: str, create: tuple = (), run=None):
    """The objects of `fixtures` (name -> scontrol create arguments) exist
    for the block: `key` ("partitionname") names each, `create` comes
    before it ("reservation"), `run` is the cluster's scontrol. Leftovers
    of an interrupted run are deleted first; each is deleted after."""
    run = run or scontrol
    for name in fixtures:
        run("delete", f"{key}={name}", check=False)
    try:
        for name, args in fixtures.items():
            run("create", *create, f"{key}={name}", *args)
        yield
    finally:
        for name in fixtures:
            run("delete", f"{key}={name}", check=False)


def scontrol(*args, check=True):
    return subprocess.run(["scontrol", *args], capture_output=True, text=True, check=check,
                          timeout=60)


# ---- the 22.05 cluster, from either mode ----

def cluster_cmd(root, *cmd, user=None, check=True):
    """`cmd` (scontrol, sbatch, sacctmgr ...) on the cluster of `root`: inside
    it when set (chroot, then runuser to `user`), else where the tests run
    (ours' cluster)."""
    argv = [*(("chroot", root) if root else ()),
            *(("runuser", "-u", user, "--") if user else ()), *cmd]
    return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=TIMEOUT)


# The 22.05 cluster (the machine's in 22.05 mode: then ours' own).
on22 = functools.partial(cluster_cmd, ROOT22)


# ---- fixtures on one cluster or two: on 24.11 the 24.11 reference answers
# from ours' own cluster, so a fixture made for ours is the reference's too ----

def roots() -> tuple:
    """The distinct roots of the clusters the daemons compared answer from:
    ours' (None) and the 24.11 reference's, or ours' alone on 24.11."""
    return (None,) if SAME_CLUSTER24 else (None, ROOT24)


def root24():
    """The root to act on the 24.11 reference's cluster: None (ours') on 24.11."""
    return roots()[-1]
