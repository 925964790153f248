"""rest_auth/jwt end to end: who the requests run as.

libslurm sends the client's token (slurm.act_as) with no user name, so
slurmctld acts as the token's user. These tests show it (jobs submitted with
alice's token are alice's, whoever the daemon runs as); that root's token
naming alice acts as alice, as in the reference (a portal's service token);
and that every other way of asking for someone else is refused: another
user name beside an ordinary token, expired, forged or garbage tokens, a
second identity on the same connection, and a token reaching another
connection.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import jwt
import pytest

from conftest import API, OURS, parse_responses, validate
from test_job_control import (ENV, SCRIPT, SUBMIT, ensure_daemon_user, job_records,
                              jwt_headers, one, request, run_jwt, scancel, slurm_token)

KEY_FILE = "/var/spool/slurmctld/jwt_hs256.key"
PING = f"{API}/ping"
HELD = {"environment": ENV, "hold": True}


@pytest.fixture(scope="module")
def tokens():
    ensure_daemon_user()
    return {u: slurm_token(u) for u in ("alice", "bob", "root")}


@pytest.fixture(scope="module")
def created():
    jobs: list = []
    yield jobs
    scancel(*jobs)


def submission(name: str) -> dict:
    return {"script": SCRIPT, "job": {**HELD, "name": name}}


def owner(job_id) -> str:
    return job_records(job_id)["0"]["UserId"].split("(")[0]


# ---- the token decides who acts ----

@pytest.mark.parametrize("ours", [pytest.param(False, marks=pytest.mark.cluster22), True],
                         ids=["reference", "ours"])
def test_job_submitted_with_a_token_is_the_tokens_users(tokens, created, openapi_doc, ours):
    resp = one(request("POST", SUBMIT, submission("rpy_jwt_owner"),
                       jwt_headers("alice", tokens["alice"])), ours)
    assert resp.status == 200, resp.body
    created.append(resp.json()["job_id"])
    assert owner(resp.json()["job_id"]) == "alice"  # not the daemon's user
    if ours:
        validate(openapi_doc, (SUBMIT, "post", 200), resp.body)


def test_bearer_token(tokens, created):
    resp = one(request("POST", SUBMIT, submission("rpy_jwt_bearer"),
                       [("Authorization", f"Bearer {tokens['bob']}")]), True)
    assert resp.status == 200, resp.body
    created.append(resp.json()["job_id"])
    assert owner(resp.json()["job_id"]) == "bob"


def test_slurmdb_changes_run_as_the_tokens_user(tokens):
    """slurmdbd decides with the token's user: root's token adds and removes
    an account, alice's is denied (the daemon's own user never counts)."""
    accounts = "/slurmdb/v0.0.38/accounts"
    body = {"accounts": [{"name": "rpyjwt_acct"}]}

    def listed() -> str:
        return subprocess.run(["sacctmgr", "-n", "-P", "list", "account", "rpyjwt_acct"],
                              capture_output=True, text=True, timeout=60).stdout.strip()
    subprocess.run(["sacctmgr", "-i", "delete", "account", "rpyjwt_acct"], capture_output=True,
                   timeout=60)
    try:
        denied = one(request("POST", accounts, body, jwt_headers("alice", tokens["alice"])), True)
        assert denied.status == 500 and denied.json()["errors"][0]["error_number"] == 2002
        assert listed() == ""
        added = one(request("POST", accounts, body, jwt_headers("root", tokens["root"])), True)
        assert (added.status, added.json()["errors"]) == (200, [])
        assert listed().startswith("rpyjwt_acct|")
        removed = one(request("DELETE", "/slurmdb/v0.0.38/account/rpyjwt_acct", None,
                              jwt_headers("root", tokens["root"])), True)
        assert removed.json()["removed_associations"] == ["rpyjwt_acct"]
        assert listed() == ""
    finally:
        subprocess.run(["sacctmgr", "-i", "delete", "account", "rpyjwt_acct"],
                       capture_output=True, timeout=60)


# ---- refusals ----

def assert_refused(resp) -> None:
    assert resp.status == 401
    assert resp.content_type == "text/plain"
    assert resp.body == b"Authentication failure"
    assert resp.headers.get("connection", "").lower() == "close"


def test_alices_token_with_user_name_bob_is_refused(tokens):
    for method, path, body in (("GET", PING, None),
                               ("POST", SUBMIT, submission("rpy_jwt_as_bob"))):
        data = request(method, path, body, jwt_headers("bob", tokens["alice"]))
        assert_refused(one(data, True))
        # The reference does not serve it as bob either (it fails with a 500).
        ref = one(data, False)
        assert ref.status in (401, 500)
        if ref.status == 500:
            assert "job_id" not in ref.json()


# ---- proxying: root's (or SlurmUser's) token acting for a named user ----

@pytest.mark.parametrize("ours", [pytest.param(False, marks=pytest.mark.cluster22), True],
                         ids=["reference", "ours"])
def test_root_token_naming_alice_submits_alices_job(tokens, created, ours):
    resp = one(request("POST", SUBMIT, submission("rpy_jwt_proxy"),
                       jwt_headers("alice", tokens["root"])), ours)
    assert resp.status == 200, resp.body
    created.append(resp.json()["job_id"])
    assert owner(resp.json()["job_id"]) == "alice"  # neither root nor the daemon's user


def test_proxied_connections_of_a_listener_act_each_as_its_named_user(tokens, created, listener):
    """One warm parent, one service token: each connection acts as the user
    it names, and a connection after them with alice's own token naming bob
    is still refused."""
    jobs = []
    for user in ("alice", "bob"):
        (resp,) = listener.exchange(request("POST", SUBMIT, submission(f"rpy_jwt_proxy_{user}"),
                                            jwt_headers(user, tokens["root"])))
        assert resp.status == 200, resp.body
        jobs.append(resp.json()["job_id"])
    created.extend(jobs)
    assert [owner(j) for j in jobs] == ["alice", "bob"]
    (resp,) = listener.exchange(request("POST", SUBMIT, submission("rpy_jwt_proxy_no"),
                                        jwt_headers("bob", tokens["alice"])))
    assert_refused(resp)


def test_expired_token_is_refused():
    ensure_daemon_user()
    expired = slurm_token("alice", lifespan=1)
    time.sleep(2.1)
    for headers in (jwt_headers("alice", expired), [("Authorization", f"Bearer {expired}")]):
        assert_refused(one(request("GET", PING, None, headers), True))


@pytest.mark.parametrize("headers", [
    [("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", "garbage")],
    [("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", "e30.e30.e30")],
    [("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", "")],
    [("X-SLURM-USER-NAME", ""), ("X-SLURM-USER-TOKEN", "TOKEN")],
    [("X-SLURM-USER-NAME", "al\x7fice"), ("X-SLURM-USER-TOKEN", "TOKEN")],
    [("X-SLURM-USER-NAME", "alice")],
    [("X-SLURM-USER-TOKEN", "TOKEN")],
    [("Authorization", "Bearer garbage")],
    [("Authorization", "Basic YWxpY2U6c2VjcmV0")],
    [],
    [("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", "TOKEN"),
     ("X-SLURM-USER-NAME", "alice")],
    [("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", "TOKEN"),
     ("X-SLURM-USER-TOKEN", "TOKEN")],
], ids=["garbage", "not-a-jwt", "empty-token", "empty-name", "control-char", "name-only",
        "token-only", "bearer-garbage", "basic", "none", "name-twice", "token-twice"])
def test_garbage_in_either_header_is_refused(tokens, headers):
    headers = [(k, v.replace("TOKEN", tokens["alice"])) for k, v in headers]
    data = request("GET", PING, None, headers)
    assert_refused(one(data, True))


def test_header_rules_match_the_reference_where_it_refuses(tokens):
    # Only one of the two headers: 401 from both.
    for headers in ([("X-SLURM-USER-NAME", "alice")],
                    [("X-SLURM-USER-TOKEN", tokens["alice"])]):
        data = request("GET", PING, None, headers)
        assert_refused(one(data, True))
        assert one(data, False).status == 401


@pytest.fixture()
def shared_dir():
    """A directory the daemon user can reach (pytest's tmp_path is root's)."""
    path = tempfile.mkdtemp(prefix="rpy-jwt-", dir="/tmp")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_forged_token_refused_before_any_rpc_with_a_key_file(tokens, shared_dir):
    """With SLURMRESTD_JWT_KEY, a token not signed with slurmctld's key (or
    expired) never reaches slurmctld; a real one still works."""
    key = os.path.join(shared_dir, "jwt_hs256.key")
    shutil.copyfile(KEY_FILE, key)
    shutil.chown(key, "slurmrestd")
    os.chmod(key, 0o600)
    env = {"SLURMRESTD_JWT_KEY": str(key)}
    forged = jwt.encode({"exp": int(time.time()) + 600, "sun": "alice"}, b"x" * 32,
                        algorithm="HS256")
    assert_refused(one(request("GET", PING, None, jwt_headers("alice", forged)), True, env=env))
    good = one(request("GET", PING, None, jwt_headers("alice", tokens["alice"])), True, env=env)
    assert good.status == 200 and good.json()["pings"][0]["ping"] == "UP"
    # Without the key file the forged token passes our checks and slurmctld
    # refuses it: the ping RPC fails, nothing runs as alice.
    unchecked = one(request("GET", PING, None, jwt_headers("alice", forged)), True)
    assert unchecked.status != 200 or unchecked.json()["pings"][0]["ping"] != "UP"


# ---- no request runs as root ----

@pytest.mark.parametrize("runas", ["root", "slurm"])
def test_refuses_to_run_as_root_or_slurmuser(tokens, runas):
    data = request("GET", PING, None, jwt_headers("alice", tokens["alice"]))
    code, responses, stderr = run_jwt(data, True, runas=runas)
    assert code == 1 and responses == []
    assert b"refusing to run as" in stderr
    if runas == "root":  # the reference 22.05.8 checks uid 0 where it means SlurmUser
        ref_code, ref_responses, _ = run_jwt(data, False, runas=runas)
        assert ref_code != 0 and ref_responses == []


def test_root_daemon_still_acts_as_the_token_user(tokens, created):
    """Even started as root (told to with disable_user_check), a JWT request
    runs as the token's user: root's own credentials are never used."""
    data = request("POST", SUBMIT, submission("rpy_jwt_rootd"),
                   jwt_headers("alice", tokens["alice"]))
    resp = one(data, True, runas="root", env={"SLURMRESTD_SECURITY": "disable_user_check"})
    assert resp.status == 200, resp.body
    created.append(resp.json()["job_id"])
    assert owner(resp.json()["job_id"]) == "alice"


# ---- a token stays with its connection ----

class Listener:
    """slurmrestd-py in listening mode on a unix socket, as the daemon user."""

    def __init__(self, path: str, env=None):
        self.path = path
        self.proc = subprocess.Popen(
            [OURS, "-a", "jwt", f"unix:{path}"], user="slurmrestd", group="slurmrestd",
            extra_groups=[], cwd="/tmp", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={**os.environ, "SLURMRESTD_LOG_STDERR": "1", **(env or {})})
        for _ in range(200):
            if os.path.exists(path):
                break
            time.sleep(0.05)

    def exchange(self, data: bytes):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(60)
            s.connect(self.path)
            s.sendall(data)
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return parse_responses(b"".join(chunks))[0]

    def close(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture()
def listener(shared_dir):
    os.chmod(shared_dir, 0o777)
    # SLURM_JWT=daemon in its environment, as the reference's unit sets it.
    srv = Listener(os.path.join(shared_dir, "rest.sock"), env={"SLURM_JWT": "daemon"})
    yield srv
    srv.close()


def test_each_connection_acts_only_as_its_own_token(tokens, created, listener):
    first = listener.exchange(request("POST", SUBMIT, submission("rpy_jwt_conn1"),
                                      jwt_headers("alice", tokens["alice"])))
    second = listener.exchange(request("POST", SUBMIT, submission("rpy_jwt_conn2"),
                                       jwt_headers("bob", tokens["bob"])))
    assert [r.status for r in first + second] == [200, 200]
    created.extend([first[0].json()["job_id"], second[0].json()["job_id"]])
    assert owner(first[0].json()["job_id"]) == "alice"
    assert owner(second[0].json()["job_id"]) == "bob"
    # A later connection without credentials gets nothing from earlier ones.
    third = listener.exchange(request("POST", SUBMIT, submission("rpy_jwt_conn3"), []))
    assert len(third) == 1
    assert_refused(third[0])
    # Nor does a connection naming alice without her token.
    fourth = listener.exchange(request("GET", PING, None, [("X-SLURM-USER-NAME", "alice")]))
    assert_refused(fourth[0])


def test_second_identity_on_one_connection_is_refused(tokens, created, listener):
    data = (request("GET", PING, None, jwt_headers("alice", tokens["alice"]), close=False)
            + request("POST", SUBMIT, submission("rpy_jwt_switch"),
                      jwt_headers("bob", tokens["bob"])))
    responses = listener.exchange(data)
    assert responses[0].status == 200
    assert_refused(responses[1])
    names = subprocess.run(["squeue", "-h", "-o", "%j", "-n", "rpy_jwt_switch"],
                           capture_output=True, text=True).stdout
    assert names.strip() == ""


def test_listener_never_holds_a_clients_token(tokens, listener):
    resp = listener.exchange(request("GET", PING, None, jwt_headers("alice", tokens["alice"])))
    assert resp[0].status == 200
    environ = open(f"/proc/{listener.proc.pid}/environ", "rb").read()
    assert tokens["alice"].encode() not in environ
    assert b"SLURM_JWT=daemon" in environ


def _forged(claims: dict) -> str:
    return jwt.encode(claims, b"not slurmctld's key" * 2, algorithm="HS256")


def test_token_and_bearer_together_are_refused(tokens):
    """Newer slurmrestd refuses the pair; served as either user it would be a
    confusion a proxy could exploit."""
    headers = [*jwt_headers("alice", tokens["alice"]),
               ("Authorization", f"Bearer {tokens['bob']}")]
    for method, path, body in (("GET", PING, None),
                               ("POST", SUBMIT, submission("rpy_jwt_pair"))):
        assert_refused(one(request(method, path, body, headers), True))


@pytest.mark.parametrize("claims", [
    {"sun": "root", "exp": 4102444800},  # forged: slurmctld refuses it
    {"sun": "alice", "exp": 4102444800},
], ids=["root", "alice"])
def test_tokens_slurm_refuses_are_a_401(claims):
    """However far a forged token gets, the client is told 401."""
    forged = _forged(claims)
    for method, path, body in (("GET", PING, None), ("GET", f"{API}/jobs", None),
                               ("GET", "/slurmdb/v0.0.38/qos", None),
                               ("POST", SUBMIT, submission("rpy_jwt_forged"))):
        for headers in (jwt_headers(claims["sun"], forged),
                        [("Authorization", f"Bearer {forged}")]):
            assert_refused(one(request(method, path, body, headers), True))


def test_token_with_an_infinite_expiry_is_refused():
    raw = jwt.encode({"sun": "alice"}, b"k" * 32, algorithm="HS256")
    head, _, sig = raw.split(".")
    import base64
    claims = base64.urlsafe_b64encode(b'{"sun": "alice", "exp": 1e400}').decode().rstrip("=")
    assert_refused(one(request("GET", PING, None, jwt_headers("alice", f"{head}.{claims}.{sig}")),
                       True))
