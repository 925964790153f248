"""rest_auth/jwt header rules and early token checks (slurmrestd_py.auth).

Tokens are made here with pyjwt, signed with keys made here: no cluster is
needed. What the tokens do at slurmctld is covered by
tests/integration/test_jwt.py.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import jwt
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slurmrestd_py import auth  # noqa: E402
from slurmrestd_py.auth import FAILURE, Authenticator, Identity, Peer  # noqa: E402
from slurmrestd_py.errors import HttpError  # noqa: E402

KEY = b"k" * 32
TCP = Peer("tcp")


def token(user: str | None = "alice", key: bytes = KEY, lifespan: int = 3600,
          claim: str = "sun", **extra) -> str:
    claims = {"iat": int(time.time()), **extra}
    if lifespan is not None:
        claims["exp"] = int(time.time()) + lifespan
    if user is not None:
        claims[claim] = user
    return jwt.encode(claims, key, algorithm="HS256")


@pytest.fixture(autouse=True)
def no_verification(monkeypatch):
    """Each test starts with verification unconfigured."""
    monkeypatch.delenv("SLURMRESTD_JWT_KEY", raising=False)
    monkeypatch.delenv("SLURMRESTD_JWKS", raising=False)
    monkeypatch.setattr(auth, "_verifier", None)


def authenticate(headers, plugins=("jwt",), peer: Peer = TCP) -> Identity:
    """`headers`: a dict, or (name, value) pairs where a name may repeat."""
    pairs = headers.items() if isinstance(headers, dict) else headers
    return Authenticator(list(plugins), daemon_uid=12345).authenticate(
        peer, [(k.lower(), v) for k, v in pairs])


def refused(headers: dict, **kw) -> bool:
    with pytest.raises(HttpError) as e:
        authenticate(headers, **kw)
    assert e.value.status == 401 and e.value.message == FAILURE
    return True


# ---- header rules ----

def test_name_and_token_accepted():
    t = token()
    identity = authenticate({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": t})
    assert identity == Identity("alice", None, t, "jwt")


def test_no_jwt_headers_skip_to_the_next_plugin_then_refused():
    # Alone, jwt skips and nothing accepts: refused.
    assert refused({})
    # With local first on a tcp peer, both skip: refused too.
    assert refused({}, plugins=("local", "jwt"))


def test_only_one_header_is_refused():
    assert refused({"X-SLURM-USER-NAME": "alice"})
    assert refused({"X-SLURM-USER-TOKEN": token()})


def test_empty_or_unprintable_values_are_refused():
    assert refused({"X-SLURM-USER-NAME": "", "X-SLURM-USER-TOKEN": token()})
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": ""})
    assert refused({"X-SLURM-USER-NAME": "al ice", "X-SLURM-USER-TOKEN": token()})
    assert refused({"X-SLURM-USER-NAME": "alice\x01", "X-SLURM-USER-TOKEN": token()})


def test_user_name_differing_from_the_tokens_is_refused():
    # Only root's and SlurmUser's tokens may act for another user.
    assert refused({"X-SLURM-USER-NAME": "bob", "X-SLURM-USER-TOKEN": token("alice")})
    assert refused({"X-SLURM-USER-NAME": "Alice", "X-SLURM-USER-TOKEN": token("alice")})
    assert refused({"X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": token("daemon")})
    # A token of a user with no passwd entry has no uid to be privileged by.
    assert refused({"X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": token("no-such-user")})


def test_root_and_slurmuser_tokens_act_for_the_named_user(monkeypatch):
    t = token("root")
    identity = authenticate({"X-SLURM-USER-NAME": "carol", "X-SLURM-USER-TOKEN": t})
    assert identity == Identity("carol", None, t, "jwt", owner="root")
    assert identity.proxied == "carol"
    # Naming the token's own user is no proxying: nothing is sent beside it.
    assert authenticate({"X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": t}).proxied is None
    # SlurmUser, by uid, as slurmctld decides it.
    import pwd
    from slurmrestd_py import slurm
    nobody = pwd.getpwnam("nobody")
    monkeypatch.setattr(slurm, "slurm_user", lambda: (nobody.pw_uid, nobody.pw_gid))
    t = token("nobody")
    assert authenticate({"X-SLURM-USER-NAME": "dave", "X-SLURM-USER-TOKEN": t}).proxied == "dave"
    assert refused({"Authorization": f"Bearer {token('daemon')}", "X-SLURM-USER-NAME": "dave"})


def test_bearer_token_names_the_user():
    t = token("bob")
    assert authenticate({"Authorization": f"Bearer {t}"}) == Identity("bob", None, t, "jwt")
    assert authenticate({"Authorization": f"bearer   {t}  "}).user == "bob"
    # With a user name beside it, the two must agree.
    assert authenticate({"Authorization": f"Bearer {t}", "X-SLURM-USER-NAME": "bob"}).user == "bob"
    assert refused({"Authorization": f"Bearer {t}", "X-SLURM-USER-NAME": "alice"})


def test_other_authorization_schemes_are_refused():
    assert refused({"Authorization": "Basic YWxpY2U6cHc="})
    assert refused({"Authorization": "Bearer"})
    assert refused({"Authorization": "Bearer "})


def test_x_slurm_token_wins_over_authorization():
    t = token("alice")
    identity = authenticate({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": t,
                             "Authorization": "Basic whatever"})
    assert identity.token == t


@pytest.mark.parametrize("repeated", ["X-SLURM-USER-NAME", "X-SLURM-USER-TOKEN",
                                      "Authorization"])
def test_an_identity_header_given_twice_is_refused(repeated):
    alice, bob = token("alice"), token("bob")
    values = {"X-SLURM-USER-NAME": ("alice", "bob"), "X-SLURM-USER-TOKEN": (alice, bob),
              "Authorization": (f"Bearer {alice}", f"Bearer {bob}")}[repeated]
    pairs = [("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", alice)]
    pairs = [(n, v) for n, v in pairs if n != repeated] + [(repeated, v) for v in values]
    assert refused(pairs)
    # Even the same value twice: one of them was not meant to be there.
    assert refused(pairs[:-1] + [(repeated, values[0]), (repeated.lower(), values[0])])
    # Other headers may repeat.
    assert authenticate([("X-SLURM-USER-NAME", "alice"), ("X-SLURM-USER-TOKEN", alice),
                         ("Accept", "a/b"), ("accept", "c/d")]).user == "alice"


# ---- the token itself, checked before any RPC ----

def test_garbage_tokens_are_refused():
    for garbage in ("garbage", "a.b.c", "e30.e30.", token()[:-10] + "!!!!!!!!!!",
                    "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"):
        assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": garbage})


def test_expired_or_undated_tokens_are_refused():
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": token(lifespan=-5)})
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": token(lifespan=None)})
    assert refused({"Authorization": "Bearer " + token(lifespan=-1)})


def test_token_user_claims():
    assert auth.token_user(token("carol")) == "carol"
    # `username` when there is no `sun`, as slurmctld reads it
    assert auth.token_user(token("dave", claim="username")) == "dave"
    assert auth.token_user(token("erin", username="frank")) == "erin"
    with pytest.raises(HttpError):
        auth.token_user(token(None))
    with pytest.raises(HttpError):
        auth.token_user(token(""))
    with pytest.raises(HttpError):
        auth.token_user(jwt.encode({"exp": int(time.time()) + 60, "sun": 5}, KEY,
                                   algorithm="HS256"))


def test_signatures_are_not_checked_without_configuration():
    # slurmctld checks them; here a foreign key passes the early checks.
    assert authenticate({"Authorization": "Bearer " + token(key=b"x" * 32)}).user == "alice"


def test_hs256_key_file_verification(tmp_path, monkeypatch):
    key_file = tmp_path / "jwt_hs256.key"
    key_file.write_bytes(KEY)
    monkeypatch.setenv("SLURMRESTD_JWT_KEY", str(key_file))
    good = token("alice")
    assert authenticate({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": good}).token == good
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": token(key=b"x" * 32)})
    # A verified but expired token is still refused.
    assert refused({"Authorization": "Bearer " + token(lifespan=-5)})
    # Tampered claims break the signature.
    head, _, sig = good.split(".")
    forged_claims = jwt.utils.base64url_encode(json.dumps(
        {"exp": int(time.time()) + 60, "sun": "root"}).encode()).decode()
    assert refused({"Authorization": f"Bearer {head}.{forged_claims}.{sig}"})
    # An algorithm with no configured key is refused (no "none", no RS256).
    unsigned = jwt.encode({"exp": int(time.time()) + 60, "sun": "alice"}, None,
                          algorithm="none")
    assert refused({"Authorization": "Bearer " + unsigned})


def test_unreadable_key_file_fails_closed(tmp_path, monkeypatch):
    monkeypatch.setenv("SLURMRESTD_JWT_KEY", str(tmp_path / "missing.key"))
    assert refused({"Authorization": "Bearer " + token()})


def test_jwks_verification(tmp_path, monkeypatch):
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives.asymmetric import rsa
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update(kid="k1", alg="RS256", use="sig")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwk]}))
    monkeypatch.setenv("SLURMRESTD_JWKS", str(jwks))
    claims = {"exp": int(time.time()) + 60, "sun": "alice"}
    good = jwt.encode(claims, private, algorithm="RS256", headers={"kid": "k1"})
    assert authenticate({"Authorization": "Bearer " + good}).user == "alice"
    assert refused({"Authorization": "Bearer " + jwt.encode(
        claims, other, algorithm="RS256", headers={"kid": "k1"})})
    assert refused({"Authorization": "Bearer " + jwt.encode(
        claims, private, algorithm="RS256", headers={"kid": "k2"})})
    # HS256 tokens have no key when only a JWKS is configured.
    assert refused({"Authorization": "Bearer " + token()})


def test_local_plugin_still_decides_for_unix_peers():
    # The daemon's own user over a unix socket: local accepts before jwt looks.
    peer = Peer("unix", 12345, 12345)
    identity = authenticate({"x-slurm-user-name": "bob", "x-slurm-user-token": token("bob")},
                            ("local", "jwt"), peer)
    assert identity.plugin == "local"
    # Another user's peer is refused by local; jwt is not consulted.
    assert refused({"x-slurm-user-name": "bob", "x-slurm-user-token": token("bob")},
                   plugins=("local", "jwt"), peer=Peer("unix", 999, 999))


# ---- hostile tokens and header pairs (issue 9) ----

def _raw_token(header: str, claims: str) -> str:
    import base64
    enc = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")  # noqa: E731
    return f"{enc(header)}.{enc(claims)}.c2ln"


@pytest.mark.parametrize("header, claims", [
    ("[" * 20000 + "]" * 20000, '{"sun": "alice", "exp": 9999999999}'),
    ('{"alg": "HS256"}', '{"a":' * 20000 + "1" + "}" * 20000),
    ('{"alg": "HS256"}', '{"sun": "alice", "exp": 1e400}'),
    ('{"alg": "HS256"}', '{"sun": "alice", "exp": NaN}'),
    ('{"alg": "HS256"}', '{"sun": "alice", "exp": 99999999999999999999999}'),
    ('{"alg": "HS256"}', '{"sun": "alice", "exp": ' + "9" * 5000 + "}"),
])
def test_hostile_tokens_are_a_401(header, claims):
    raw = _raw_token(header, claims)
    assert refused({"Authorization": "Bearer " + raw})
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": raw})


def test_token_and_bearer_together_are_refused():
    alice, bob = token("alice"), token("bob")
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": alice,
                    "Authorization": f"Bearer {bob}"})
    assert refused({"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": alice,
                    "Authorization": f"Bearer {alice}"})
