"""Tests for slurmrestd_py.options (and the verbosity -> logging mapping)."""

from __future__ import annotations

import io
import os
import pwd
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slurmrestd_py import log, options  # noqa: E402
from slurmrestd_py.versions import VERSIONS  # noqa: E402
from slurmrestd_py.options import (  # noqa: E402
    AUTH_PLUGINS,
    Options,
    UsageError,
    parse,
    parse_listen,
    usage,
)

MAN = ROOT / "man" / "slurmrestd-py.8"


def p(*argv: str, **env: str) -> Options:
    return parse(list(argv), env)


# ---------------------------------------------------------------- defaults


def test_defaults():
    o = p()
    assert o.listen == []
    assert o.auth == ["local", "jwt"] == list(AUTH_PLUGINS)
    assert o.plugins == [v.plugin for v in VERSIONS]
    assert {"v0.0.36", "dbv0.0.38", "v0.0.40", "v0.0.42"} <= set(o.plugins)
    assert o.slurm_conf is None
    assert o.user is None and o.group is None
    assert o.threads == 20
    assert o.max_connections == 124
    assert o.verbosity == 0
    assert o.security == set()
    assert o.action == "serve"


def test_defaults_are_not_shared():
    a, b = p(), p()
    a.auth.append("x")
    a.security.add("y")
    assert b.auth == ["local", "jwt"] and b.security == set()


# ---------------------------------------------------------------- actions


@pytest.mark.parametrize("argv", [["-h"], ["--help"], ["-v", "-h"], ["--he"]])
def test_help(argv):
    assert parse(argv, {}).action == "help"


@pytest.mark.parametrize("argv", [["-V"], ["--version"], ["-t", "5", "-V"]])
def test_version(argv):
    assert parse(argv, {}).action == "version"


def test_help_skips_validation():
    # help must work even with a broken environment or bad values
    o = parse(["-t", "1", "-a", "bogus", "-h"],
              {"SLURMRESTD_SECURITY": "bogus", "SLURMRESTD_DEBUG": "x"})
    assert o.action == "help"


@pytest.mark.parametrize("val", ["list", "LIST", " list "])
def test_list_auth(val):
    assert p("-a", val).action == "list_auth"


def test_list_auth_env():
    assert p(SLURMRESTD_AUTH_TYPES="list").action == "list_auth"


@pytest.mark.parametrize("val", ["list", "List"])
def test_list_plugins(val):
    assert p("-s", val).action == "list_plugins"


def test_list_plugins_env():
    assert p(SLURMRESTD_OPENAPI_PLUGINS="list").action == "list_plugins"


def test_list_auth_wins_over_list_plugins():
    assert p("-s", "list", "-a", "list").action == "list_auth"


def test_list_inside_a_list_is_a_plugin_name():
    with pytest.raises(UsageError, match="list"):
        p("-a", "list,local")


# ---------------------------------------------------------------- -a


@pytest.mark.parametrize(
    "val,want",
    [
        ("local", ["local"]),
        ("jwt", ["jwt"]),
        ("rest_auth/jwt", ["jwt"]),
        ("jwt,local", ["jwt", "local"]),
        ("rest_auth/local, rest_auth/jwt", ["local", "jwt"]),
        ("local,,jwt,", ["local", "jwt"]),
        ("local,local", ["local"]),
        (" jwt ", ["jwt"]),
    ],
)
def test_auth(val, want):
    assert p("-a", val).auth == want


def test_auth_env():
    assert p(SLURMRESTD_AUTH_TYPES="rest_auth/jwt").auth == ["jwt"]


def test_auth_option_overrides_env():
    assert p("-a", "local", SLURMRESTD_AUTH_TYPES="jwt").auth == ["local"]


def test_auth_option_overrides_bad_env():
    assert p("-a", "jwt", SLURMRESTD_AUTH_TYPES="bogus").auth == ["jwt"]


def test_last_a_wins():
    assert p("-a", "local", "-a", "jwt").auth == ["jwt"]


@pytest.mark.parametrize("val", ["bogus", "local,bogus", "rest_auth/munge",
                                 "LOCAL", "REST_AUTH/local"])
def test_auth_unknown(val):
    with pytest.raises(UsageError, match="authentication plugin"):
        p("-a", val)


def test_auth_unknown_env():
    with pytest.raises(UsageError, match="SLURMRESTD_AUTH_TYPES"):
        p(SLURMRESTD_AUTH_TYPES="bogus")


@pytest.mark.parametrize("val", ["", ",", " , "])
def test_auth_empty(val):
    with pytest.raises(UsageError, match="no authentication plugins"):
        p("-a", val)


# ---------------------------------------------------------------- -s


@pytest.mark.parametrize(
    "val,want",
    [
        ("v0.0.38", ["v0.0.38"]),
        ("openapi/v0.0.38", ["v0.0.38"]),
        ("openapi/dbv0.0.38,v0.0.38", ["v0.0.38", "dbv0.0.38"]),
        ("dbv0.0.38", ["dbv0.0.38"]),
        ("openapi/slurmctld", ["v0.0.40", "v0.0.41", "v0.0.42"]),
        ("v0.0.37,slurmctld", ["v0.0.37", "v0.0.40", "v0.0.41", "v0.0.42"]),
    ],
)
def test_plugins(val, want):
    assert p("-s", val).plugins == want


@pytest.mark.parametrize(
    "args,env,want",
    [
        (("-d", "v0.0.41"), {}, ["v0.0.36", "v0.0.37", "v0.0.38", "dbv0.0.36", "dbv0.0.37",
                                 "dbv0.0.38", "v0.0.41", "dbv0.0.41"]),
        (("-s", "slurmctld", "-d", "latest"), {}, ["v0.0.42"]),
        (("-s", "openapi/slurmdbd", "-d", "latest"), {}, ["dbv0.0.42"]),
        (("-s", "slurmctld", "-d", "data_parser/v0.0.40,v0.0.42"), {}, ["v0.0.40", "v0.0.42"]),
        (("-s", "slurmctld"), {"SLURMRESTD_DATA_PARSER_PLUGINS": "v0.0.40"}, ["v0.0.40"]),
        (("-s", "slurmctld", "-d", "v0.0.42"), {"SLURMRESTD_DATA_PARSER_PLUGINS": "bogus"},
         ["v0.0.42"]),
        (("-s", "v0.0.38", "-d", "v0.0.42"), {}, ["v0.0.38"]),
    ],
)
def test_data_parsers(args, env, want):
    assert p(*args, **env).plugins == want


@pytest.mark.parametrize("val", ["bogus", "v0.0.39", "v0.0.38", "latest,x"])
def test_data_parsers_unknown(val):
    with pytest.raises(UsageError, match="unknown data parser plugin"):
        p("-d", val)


def test_data_parsers_list():
    assert p("-d", "list").action == "list_parsers"


def test_plugins_env_and_override():
    assert p(SLURMRESTD_OPENAPI_PLUGINS="openapi/dbv0.0.38").plugins == ["dbv0.0.38"]
    assert p("-s", "v0.0.38",
             SLURMRESTD_OPENAPI_PLUGINS="bogus").plugins == ["v0.0.38"]


@pytest.mark.parametrize("val", ["bogus", "openapi/v0.0.39", "v0.0.38,x"])
def test_plugins_unknown(val):
    with pytest.raises(UsageError, match="unknown OpenAPI plugin"):
        p("-s", val)


def test_plugins_empty():
    with pytest.raises(UsageError, match="no OpenAPI plugins"):
        p("-s", "")


def test_plugins_unknown_env():
    with pytest.raises(UsageError, match="SLURMRESTD_OPENAPI_PLUGINS"):
        p(SLURMRESTD_OPENAPI_PLUGINS="nope")


# ---------------------------------------------------------------- -f


def test_slurm_conf():
    assert p("-f", "/x/slurm.conf").slurm_conf == "/x/slurm.conf"
    assert p(SLURM_CONF="/env/slurm.conf").slurm_conf == "/env/slurm.conf"
    assert p("-f", "/opt.conf", SLURM_CONF="/env.conf").slurm_conf == "/opt.conf"
    assert p(SLURM_CONF="").slurm_conf is None


def test_slurm_conf_attached_value():
    assert p("-f/x.conf").slurm_conf == "/x.conf"


def test_slurm_conf_empty():
    with pytest.raises(UsageError):
        p("-f", "")


# ---------------------------------------------------------------- -u / -g


def test_user_and_group_by_name_and_number():
    o = p("-u", "root", "-g", "0")
    assert o.user == "root" and o.group == "0"
    o = p("-u", "0", "-g", "root")
    assert o.user == "0" and o.group == "root"


def test_user_current():
    me = pwd.getpwuid(os.getuid()).pw_name
    assert p("-u", me).user == me


@pytest.mark.parametrize("val", ["no-such-user-xyz", "4000000000", "99999999", ""])
def test_user_unknown(val):
    with pytest.raises(UsageError, match="-u"):
        p("-u", val)


@pytest.mark.parametrize("val", ["no-such-group-xyz", "99999999", ""])
def test_group_unknown(val):
    with pytest.raises(UsageError, match="-g"):
        p("-g", val)


# ---------------------------------------------------------------- -t


@pytest.mark.parametrize("val,want", [("2", 2), ("20", 20), ("1024", 1024), ("64", 64)])
def test_threads(val, want):
    assert p("-t", val).threads == want


@pytest.mark.parametrize("val", ["0", "1", "-5", "1025", "100000"])
def test_threads_out_of_range(val):
    with pytest.raises(UsageError, match="thread count"):
        p("-t", val)


@pytest.mark.parametrize("val", ["abc", "", "2x", "1.5"])
def test_threads_not_a_number(val):
    with pytest.raises(UsageError, match="not a number"):
        p("-t", val)


# ---------------------------------------------------------------- --max-connections


def test_max_connections():
    assert p("--max-connections", "5").max_connections == 5
    assert p("--max-connections=1").max_connections == 1
    assert p(SLURMRESTD_MAX_CONNECTIONS="300").max_connections == 300
    assert p("--max-connections", "7",
             SLURMRESTD_MAX_CONNECTIONS="300").max_connections == 7


@pytest.mark.parametrize("val", ["0", "-1", "x", ""])
def test_max_connections_bad(val):
    with pytest.raises(UsageError, match="connection limit"):
        p("--max-connections", val)


def test_max_connections_bad_env():
    with pytest.raises(UsageError, match="SLURMRESTD_MAX_CONNECTIONS"):
        p(SLURMRESTD_MAX_CONNECTIONS="0")


def test_max_connections_needs_value():
    with pytest.raises(UsageError, match="max-connections"):
        p("--max-connections")


# ---------------------------------------------------------------- timeouts, TLS files

_TIMEOUT_OPTS = [("--idle-timeout", "idle_timeout", "SLURMRESTD_IDLE_TIMEOUT", 60.0),
                 ("--read-timeout", "read_timeout", "SLURMRESTD_READ_TIMEOUT", 30.0),
                 ("--shutdown-timeout", "shutdown_timeout", "SLURMRESTD_SHUTDOWN_TIMEOUT", 30.0),
                 ("--idle-exit", "idle_exit", "SLURMRESTD_IDLE_EXIT", None)]


@pytest.mark.parametrize("opt,attr,var,default", _TIMEOUT_OPTS)
def test_timeouts(opt, attr, var, default):
    assert getattr(p(), attr) == default
    assert getattr(p(opt, "5"), attr) == 5.0
    assert getattr(p(f"{opt}=0.25"), attr) == 0.25
    assert getattr(p(**{var: "7"}), attr) == 7.0
    assert getattr(p(opt, ".5", **{var: "7"}), attr) == 0.5  # the option wins


@pytest.mark.parametrize("opt,attr,var,default", _TIMEOUT_OPTS)
@pytest.mark.parametrize("val", ["0", "-1", "x", "", "1e3", "inf", "nan", "1s"])
def test_timeouts_bad(opt, attr, var, default, val):
    with pytest.raises(UsageError, match=re.escape(opt)):
        p(opt, val)
    with pytest.raises(UsageError, match=var):
        p(**{var: val})


def test_timeouts_need_value():
    for opt, *_ in _TIMEOUT_OPTS:
        with pytest.raises(UsageError, match=opt[2:]):
            p(opt)


def test_tls_files():
    o = p()
    assert o.tls_cert is None and o.tls_key is None
    o = p("--tls-cert", "/c.pem", "--tls-key=/k.pem", "https://:8443")
    assert (o.tls_cert, o.tls_key) == ("/c.pem", "/k.pem")
    o = p(SLURMRESTD_TLS_CERT="/e.pem", SLURMRESTD_TLS_KEY="/ek.pem")
    assert (o.tls_cert, o.tls_key) == ("/e.pem", "/ek.pem")
    o = p("--tls-cert", "/c.pem", SLURMRESTD_TLS_CERT="/e.pem")
    assert o.tls_cert == "/c.pem"
    # An https:// address without a certificate parses; start-up reports it.
    assert p("https://:8443").tls_cert is None


def test_tls_files_bad():
    with pytest.raises(UsageError, match="tls-cert"):
        p("--tls-cert", "")
    with pytest.raises(UsageError, match="tls-key"):
        p("--tls-key")
    with pytest.raises(UsageError, match="not recognized"):
        p("--tls", "/x")  # ambiguous abbreviation


# ---------------------------------------------------------------- -v / SLURMRESTD_DEBUG


def test_verbosity():
    assert p("-v").verbosity == 1
    assert p("-vvv").verbosity == 3
    assert p("-v", "-v").verbosity == 2
    assert p(SLURMRESTD_DEBUG="2").verbosity == 2
    assert p("-vv", SLURMRESTD_DEBUG="3").verbosity == 5


@pytest.mark.parametrize("val", ["0", "-1", "abc", "", "debug", "5x"])
def test_debug_env_bad(val):
    with pytest.raises(UsageError, match="SLURMRESTD_DEBUG"):
        p(SLURMRESTD_DEBUG=val)


# ---------------------------------------------------------------- SLURMRESTD_SECURITY


def test_security():
    assert p(SLURMRESTD_SECURITY="").security == set()
    assert p(SLURMRESTD_SECURITY="disable_user_check").security == {"disable_user_check"}
    assert p(SLURMRESTD_SECURITY="disable_unshare_sysv,DISABLE_UNSHARE_FILES,"
                                 "disable_user_check").security == {
        "disable_unshare_sysv", "disable_unshare_files", "disable_user_check"}
    assert p(SLURMRESTD_SECURITY="disable_user_check,").security == {"disable_user_check"}


@pytest.mark.parametrize("val", ["bogus", "disable_user_check,bogus", "disable_everything"])
def test_security_bad(val):
    with pytest.raises(UsageError, match="SLURMRESTD_SECURITY"):
        p(SLURMRESTD_SECURITY=val)


# ---------------------------------------------------------------- listen addresses


def test_listen_positional():
    o = p(":6820", "unix:/run/x.sock")
    assert o.listen == [":6820", "unix:/run/x.sock"]


def test_listen_env():
    o = p(SLURMRESTD_LISTEN="localhost:6820,unix:/run/s.sock,")
    assert o.listen == ["localhost:6820", "unix:/run/s.sock"]


def test_listen_positional_overrides_env():
    assert p(":7000", SLURMRESTD_LISTEN=":6820").listen == [":7000"]


def test_listen_interleaved_with_options():
    o = p(":6820", "-v", "[::1]:6821", "-a", "jwt")
    assert o.listen == [":6820", "[::1]:6821"]
    assert o.verbosity == 1 and o.auth == ["jwt"]


def test_double_dash_ends_options():
    assert p("--", ":6820").listen == [":6820"]


@pytest.mark.parametrize(
    "addr,kind,host,port,path,tls",
    [
        ("localhost:6820", "tcp", "localhost", 6820, None, False),
        ("127.0.0.1:1", "tcp", "127.0.0.1", 1, None, False),
        (":65535", "tcp", None, 65535, None, False),
        ("[::1]:6820", "tcp", "::1", 6820, None, False),
        ("[::]:80", "tcp", "::", 80, None, False),
        ("node-1.example.org:6820", "tcp", "node-1.example.org", 6820, None, False),
        ("unix:/run/slurmrestd.sock", "unix", None, None, "/run/slurmrestd.sock", False),
        ("https://localhost:8443", "tcp", "localhost", 8443, None, True),
        ("https://:8443", "tcp", None, 8443, None, True),
        ("https://[::1]:8443/", "tcp", "::1", 8443, None, True),
        ("HTTPS://h:1", "tcp", "h", 1, None, True),
    ],
)
def test_parse_listen_good(addr, kind, host, port, path, tls):
    spec = parse_listen(addr)
    assert (spec.kind, spec.host, spec.port, spec.path, spec.tls) == (
        kind, host, port, path, tls)
    assert spec.text == addr
    assert p(addr).listen == [addr]


@pytest.mark.parametrize(
    "addr",
    [
        "localhost",            # no port
        "localhost:",           # empty port
        "localhost:0",          # port 0
        "localhost:65536",
        "localhost:99999",
        "localhost:http",
        "localhost:-1",
        ":",
        "::1:6820",             # IPv6 without brackets
        "[::1]",                # no port
        "[::1]6820",
        "[::1:6820",
        "[nothost]:6820",
        "bad host:6820",
        "bad/host:6820",
        "unix:",
        "unix:relative.sock",
        "unix:/" + "x" * 200,
        "http://localhost:80",
        "ftp://localhost:21",
        "https://localhost",
        "https://",
        "",
    ],
)
def test_parse_listen_bad(addr):
    with pytest.raises(UsageError, match="listen address"):
        parse_listen(addr)
    with pytest.raises(UsageError):
        p(addr)


def test_listen_bad_env():
    with pytest.raises(UsageError, match="listen address"):
        p(SLURMRESTD_LISTEN="localhost:99999")


# ---------------------------------------------------------------- unknown options


@pytest.mark.parametrize("argv", [["-x"], ["--bogus"], ["-a"], ["-t"], ["-u"],
                                  ["--help=yes"], ["-Z", ":6820"]])
def test_unknown_or_incomplete_option(argv):
    with pytest.raises(UsageError) as err:
        parse(argv, {})
    assert "--help" in str(err.value)


def test_usage_error_is_exception_with_message():
    try:
        p("-t", "1")
    except UsageError as err:
        assert str(err)
        assert "\n" not in str(err)
    else:  # pragma: no cover
        pytest.fail("no UsageError")


def test_parse_does_not_mutate_argv():
    argv = ["-v", ":6820"]
    parse(argv, {})
    assert argv == ["-v", ":6820"]


# ---------------------------------------------------------------- usage vs man page

_OPT_RE = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z-]*)")


def _usage_options() -> set[str]:
    found: set[str] = set()
    for line in usage().splitlines():
        if line.startswith("  -"):
            first = re.split(r"\s{2,}", line.strip())[0]
            found.update(_OPT_RE.findall(first))
    return found


def _man_options() -> set[str]:
    text = MAN.read_text()
    m = re.search(r"^\.SH OPTIONS\s*$(.*?)^\.SH ", text, re.M | re.S)
    assert m, "no OPTIONS section in the man page"
    lines = m.group(1).splitlines()
    found: set[str] = set()
    for i, line in enumerate(lines):
        if line.startswith(".TP") and i + 1 < len(lines):
            tag = lines[i + 1].replace("\\-", "-")
            tag = re.sub(r"\\f[BIRP]", "", tag)
            tag = re.sub(r"^\.\w+\s*", "", tag)
            found.update(_OPT_RE.findall(tag.split('"')[0] + " " +
                                         " ".join(tag.split('"')[2::2])))
    return found


def _getopt_options() -> set[str]:
    shorts = {"-" + c for c in options._SHORT_OPTS if c != ":"}
    longs = {"--" + name.rstrip("=") for name in options._LONG_OPTS}
    return shorts | longs


def test_usage_lists_every_option():
    assert _usage_options() == _getopt_options()


def test_man_options_match_usage():
    assert _man_options() == _usage_options()


def test_usage_mentions_environment():
    text = usage()
    for var in ("SLURMRESTD_LISTEN", "SLURMRESTD_AUTH_TYPES",
                "SLURMRESTD_OPENAPI_PLUGINS", "SLURMRESTD_DEBUG",
                "SLURMRESTD_SECURITY", "SLURM_CONF", "SLURMRESTD_IDLE_TIMEOUT",
                "SLURMRESTD_READ_TIMEOUT", "SLURMRESTD_SHUTDOWN_TIMEOUT", "SLURMRESTD_IDLE_EXIT",
                "SLURMRESTD_TLS_CERT", "SLURMRESTD_TLS_KEY"):
        assert var in text


def test_man_documents_environment():
    text = MAN.read_text().replace("\\-", "-")
    m = re.search(r"^\.SH ENVIRONMENT\s*$(.*?)^\.SH ", text, re.M | re.S)
    assert m
    section = m.group(1)
    for var in ("SLURMRESTD_LISTEN", "SLURMRESTD_AUTH_TYPES",
                "SLURMRESTD_OPENAPI_PLUGINS", "SLURMRESTD_DEBUG",
                "SLURMRESTD_SECURITY", "SLURMRESTD_MAX_CONNECTIONS",
                "SLURMRESTD_LOG_STDERR", "SLURMRESTD_JWT_KEY",
                "SLURMRESTD_JWKS", "SLURM_JWT", "SLURM_CONF",
                "SLURMRESTD_IDLE_TIMEOUT", "SLURMRESTD_READ_TIMEOUT",
                "SLURMRESTD_SHUTDOWN_TIMEOUT", "SLURMRESTD_TLS_CERT",
                "SLURMRESTD_TLS_KEY"):
        assert re.search(r"^\.B " + var + r"$", section, re.M), var


def test_man_sections():
    text = MAN.read_text()
    assert text.startswith(".TH ")
    for sec in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT",
                "AUTHENTICATION", "SECURITY", "FILES", "EXAMPLES", "SEE ALSO"):
        assert re.search(r"^\.SH " + sec + r"\s*$", text, re.M), sec


# ---------------------------------------------------------------- log


@pytest.fixture
def restore_logger():
    saved = log.logger.sink, log.logger.level
    yield
    log.logger.sink, log.logger.level = saved


def test_log_levels(restore_logger):
    buf = io.StringIO()
    lg = log.setup(0, stream=buf)
    assert lg.name == "slurmrestd-py" and lg is log.logger
    lg.info("operations_router: GET /ping")
    lg.debug("hidden")
    lg.warning("careful %s", "now")
    lg.error("bad")
    out = buf.getvalue()
    assert "slurmrestd-py: operations_router: GET /ping\n" in out
    assert "hidden" not in out
    assert "slurmrestd-py: warning: careful now\n" in out
    assert "slurmrestd-py: error: bad\n" in out

    buf = io.StringIO()
    lg = log.setup(1, stream=buf)
    lg.debug("shown")
    assert buf.getvalue() == "slurmrestd-py: debug: shown\n"  # setup() replaced the first stream
    assert log.setup(3, stream=io.StringIO()).level == log.DEBUG


def test_log_silenced(restore_logger):
    buf = io.StringIO()
    lg = log.setup(0, stream=buf)
    lg.silent = True
    lg.error("not now")
    lg.silent = False
    lg.error("now")
    assert buf.getvalue() == "slurmrestd-py: error: now\n"


def test_log_does_not_import_logging():
    import subprocess
    code = ("import sys, io\nfrom slurmrestd_py import log\n"
            "log.setup(0, stream=io.StringIO()).info('x')\nprint('logging' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == "False"


def test_log_refuses_stdout(restore_logger):
    with pytest.raises(ValueError):
        log.setup(0, stream=sys.__stdout__)


def test_log_stderr_forced(restore_logger):
    lg = log.setup(0, environ={"SLURMRESTD_LOG_STDERR": "1"})
    assert isinstance(lg.sink, log._Stream) and lg.sink.stream is sys.stderr


def test_log_syslog_when_not_tty(restore_logger, monkeypatch):
    monkeypatch.setattr(log, "_stderr_tty", lambda: False)
    lg = log.setup(0, environ={})
    if os.path.exists(log.SYSLOG_ADDRESS):
        assert isinstance(lg.sink, log._Syslog)
    else:
        assert isinstance(lg.sink, log._Stream) and lg.sink.stream is sys.stderr


def test_log_syslog_missing_falls_back_to_stderr(restore_logger, monkeypatch, tmp_path):
    monkeypatch.setattr(log, "_stderr_tty", lambda: False)
    monkeypatch.setattr(log, "SYSLOG_ADDRESS", str(tmp_path / "no-such-log"))
    lg = log.setup(0, environ={})
    assert isinstance(lg.sink, log._Stream) and lg.sink.stream is sys.stderr
