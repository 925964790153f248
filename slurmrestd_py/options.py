"""Command line and environment parsing for slurmrestd-py.

The option letters and environment variables follow Slurm's ``slurmrestd``
(22.05) so that existing unit files and scripts keep working:

    slurmrestd-py [-a auth,..] [-f slurm.conf] [-g group] [-h] [-s plugins,..]
                  [-t threads] [-u user] [-v..] [-V] [--max-connections N]
                  [--idle-timeout S] [--read-timeout S] [--shutdown-timeout S]
                  [--idle-exit S]
                  [--tls-cert FILE] [--tls-key FILE] [listen ...]

:func:`parse` never prints and never exits: every problem is reported by
raising :class:`UsageError`, whose text is meant for stderr; the caller exits
with status 1 (as the reference does for bad options).  ``-h``/``-V`` and the
``list`` actions are reported through :attr:`Options.action`; the caller prints
:func:`usage` (to stderr, status 0, like the reference) or the version.
"""

from __future__ import annotations

import re
from typing import Mapping

from .versions import CONTENTS, PARSERS, PLUGINS, VERSIONS

PROG = "slurmrestd-py"

AUTH_PLUGINS = ("local", "jwt")
# -s: 22.05's version plugins, then 23.11's content plugins (served by the
# data parser versions that -d selects).
OPENAPI_PLUGINS = PLUGINS + CONTENTS

SECURITY_WORDS = frozenset(
    {"disable_unshare_sysv", "disable_unshare_files", "disable_user_check"}
)

DEFAULT_THREADS = 20
MIN_THREADS = 2
MAX_THREADS = 1024
DEFAULT_MAX_CONNECTIONS = 124
DEFAULT_IDLE_TIMEOUT = 60.0  # a kept-alive connection may stay silent this long
DEFAULT_READ_TIMEOUT = 30.0  # for a whole header block; for each body read
DEFAULT_SHUTDOWN_TIMEOUT = 30.0  # in-flight requests get this long after SIGTERM

# Longest path that fits in sockaddr_un.sun_path (108 bytes with the NUL).
_UNIX_PATH_MAX = 107

_SHORT_OPTS = "a:d:f:g:hs:t:u:vV"
_LONG_OPTS = ["max-connections=", "idle-timeout=", "read-timeout=",
              "shutdown-timeout=", "idle-exit=", "tls-cert=", "tls-key=", "help", "version"]


class UsageError(Exception):
    """A bad option, argument or environment variable.

    ``str(err)`` is the complete message for stderr; exit with status 1.
    """


class Options:
    """What the command line and environment ask for (a plain class: a
    dataclass costs every inet connection's start, see versions.Version)."""

    def __init__(self, action: str = "serve"):
        self.listen: list[str] = []
        self.auth: list[str] = list(AUTH_PLUGINS)
        self.plugins: list[str] = [v.plugin for v in VERSIONS]
        self.slurm_conf: str | None = None
        self.user: str | None = None
        self.group: str | None = None
        self.threads = DEFAULT_THREADS
        self.max_connections = DEFAULT_MAX_CONNECTIONS
        self.idle_timeout = DEFAULT_IDLE_TIMEOUT
        self.read_timeout = DEFAULT_READ_TIMEOUT
        self.shutdown_timeout = DEFAULT_SHUTDOWN_TIMEOUT
        self.idle_exit: float | None = None  # seconds without a connection: exit 0 (never)
        self.tls_cert: str | None = None
        self.tls_key: str | None = None
        self.verbosity = 0
        self.security: set[str] = set()
        self.action = action


class ListenSpec:
    """A validated listen address.

    kind is "tcp" or "unix".  For "tcp", host is None for all addresses
    (":port"), otherwise a host name or an IP address without brackets;
    tls is True for "https://" addresses.  For "unix", path is absolute.
    """

    __slots__ = ("text", "kind", "host", "port", "path", "tls")

    def __init__(self, text: str, kind: str, host: str | None = None, port: int | None = None,
                 path: str | None = None, tls: bool = False):
        self.text = text
        self.kind = kind
        self.host = host
        self.port = port
        self.path = path
        self.tls = tls


_USAGE = f"""\
Usage: {PROG} [OPTIONS] [LISTEN]...
Serve the Slurm REST API (openapi {", ".join(PLUGINS)}).

With no LISTEN address, serve one HTTP client on standard input and standard
output (inet mode: a pipe, a tty, or a socket handed over by inetd, xinetd or
systemd Accept=yes).  LISTEN is host:port, :port, [ipv6]:port, unix:/path or
https://host:port.

Options:
  -a AUTH[,AUTH]...    authentication plugins to try, in order: local, jwt
                       (the rest_auth/ prefix is optional; default: all);
                       "-a list" lists them and exits
  -f FILE              read this slurm.conf instead of the default
  -g GROUP             setgid to GROUP (name or number) after opening sockets
  -d PARSER[,PARSER]...
                       data parsers the content plugins serve: {", ".join(PARSERS)}
                       or latest (the data_parser/ prefix is optional;
                       default: all); "-d list" lists them and exits
  -h, --help           print this help and exit
  -s PLUGIN[,PLUGIN]...
                       OpenAPI plugins to serve: {", ".join(OPENAPI_PLUGINS)}
                       (the openapi/ prefix is optional; default: all);
                       "-s list" lists them and exits
  -t THREADS           accepted for compatibility, {MIN_THREADS} to {MAX_THREADS} (default {DEFAULT_THREADS}); every
                       connection has its own process: see --max-connections
  -u USER              setuid to USER (name or number) after opening sockets
  -v                   more verbose logging; repeat for more
  -V, --version        print version information and exit
  --max-connections N  most simultaneous client connections (default {DEFAULT_MAX_CONNECTIONS});
                       more clients wait in the listen backlog
  --idle-timeout SECONDS
                       close a kept-alive connection silent this long (default {DEFAULT_IDLE_TIMEOUT:g})
  --read-timeout SECONDS
                       drop a client whose request headers take longer, or
                       whose body stalls this long (default {DEFAULT_READ_TIMEOUT:g})
  --shutdown-timeout SECONDS
                       after SIGTERM or SIGINT, let requests in progress run
                       this long before they are killed (default {DEFAULT_SHUTDOWN_TIMEOUT:g})
  --idle-exit SECONDS  in listening mode, exit 0 after this long with no
                       connection, for a super-server that holds the
                       listening socket to start us again (default: never)
  --tls-cert FILE      PEM certificate (chain) for https:// listeners
  --tls-key FILE       PEM private key for https:// listeners (default: in
                       the certificate file)

Environment: SLURMRESTD_LISTEN, SLURMRESTD_AUTH_TYPES,
SLURMRESTD_OPENAPI_PLUGINS, SLURMRESTD_DATA_PARSER_PLUGINS, SLURMRESTD_DEBUG, SLURMRESTD_SECURITY,
SLURMRESTD_MAX_CONNECTIONS, SLURMRESTD_IDLE_TIMEOUT, SLURMRESTD_READ_TIMEOUT,
SLURMRESTD_SHUTDOWN_TIMEOUT, SLURMRESTD_IDLE_EXIT, SLURMRESTD_TLS_CERT, SLURMRESTD_TLS_KEY,
SLURMRESTD_LOG_STDERR, SLURM_CONF, SLURM_JWT.
Command line options override the environment.  See {PROG}(8).
"""


def usage() -> str:
    """The --help text (the caller writes it to stderr)."""
    return _USAGE


def _hint() -> str:
    return f"Try '{PROG} --help' for more information."


# --------------------------------------------------------------------------
# listen addresses

_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
    r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$"
)


def _parse_port(text: str, addr: str) -> int:
    if not text or not text.isascii() or not text.isdigit():
        raise UsageError(
            f"invalid listen address {addr!r}: missing or non-numeric port"
        )
    port = int(text)
    if not 1 <= port <= 65535:
        raise UsageError(
            f"invalid listen address {addr!r}: port {port} is not in 1..65535"
        )
    return port


def _parse_host_port(rest: str, addr: str, tls: bool) -> ListenSpec:
    if rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            raise UsageError(f"invalid listen address {addr!r}: missing ']'")
        host = rest[1:end]
        after = rest[end + 1:]
        if not after.startswith(":"):
            raise UsageError(
                f"invalid listen address {addr!r}: expected ':port' after ']'"
            )
        try:
            import ipaddress
            ipaddress.IPv6Address(host)
        except ValueError:
            raise UsageError(
                f"invalid listen address {addr!r}: {host!r} is not an IPv6 address"
            ) from None
        return ListenSpec(addr, "tcp", host=host,
                          port=_parse_port(after[1:], addr), tls=tls)
    host, sep, port_text = rest.rpartition(":")
    if not sep:
        raise UsageError(
            f"invalid listen address {addr!r}: expected host:port, :port, "
            "[ipv6]:port, unix:/path or https://host:port"
        )
    if ":" in host:
        raise UsageError(
            f"invalid listen address {addr!r}: put an IPv6 address in "
            "brackets, as in [::1]:6820"
        )
    port = _parse_port(port_text, addr)
    if host == "":
        return ListenSpec(addr, "tcp", host=None, port=port, tls=tls)
    if not _HOSTNAME_RE.match(host):
        raise UsageError(f"invalid listen address {addr!r}: bad host name {host!r}")
    return ListenSpec(addr, "tcp", host=host, port=port, tls=tls)


def parse_listen(addr: str) -> ListenSpec:
    """Validate one listen address; raise UsageError if it is malformed."""
    if not addr:
        raise UsageError("invalid listen address '': empty")
    if addr.startswith("unix:"):
        path = addr[5:]
        if not path.startswith("/"):
            raise UsageError(
                f"invalid listen address {addr!r}: unix socket path must be absolute"
            )
        if "\0" in path:
            raise UsageError(f"invalid listen address {addr!r}: NUL in path")
        if len(path.encode("utf-8", "surrogateescape")) > _UNIX_PATH_MAX:
            raise UsageError(
                f"invalid listen address {addr!r}: unix socket path longer "
                f"than {_UNIX_PATH_MAX} bytes"
            )
        return ListenSpec(addr, "unix", path=path)
    lowered = addr.lower()
    if lowered.startswith("https://"):
        rest = addr[len("https://"):].rstrip("/")
        return _parse_host_port(rest, addr, tls=True)
    if "://" in addr:
        scheme = addr.split("://", 1)[0]
        raise UsageError(
            f"invalid listen address {addr!r}: unsupported scheme {scheme!r} "
            "(only https:// is understood)"
        )
    return _parse_host_port(addr, addr, tls=False)


# --------------------------------------------------------------------------
# lists of plugins


def _split_csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _normalize(items: list[str], prefix: str) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.startswith(prefix):
            item = item[len(prefix):].strip()
        if item and item not in out:
            out.append(item)
    return out


def _plugin_list(text: str, source: str, kind: str, prefix: str, known: tuple[str, ...],
                 flag: str, aliases: Mapping[str, str] | None = None) -> list[str]:
    """The plugin names listed in `text` (from `source`), `prefix` optional;
    `kind` ("OpenAPI") names them in messages, `flag` ("-s") lists them."""
    aliases = aliases or {}
    names = [aliases.get(n, n) for n in _normalize(_split_csv(text), prefix)]
    if not names:
        raise UsageError(f"no {kind} plugins given in {source}")
    for name in names:
        if name not in known:
            listed = ", ".join((*known, *aliases))
            raise UsageError(
                f"unknown {kind} plugin {prefix}{name} in {source} "
                f"(available: {listed}; '{flag} list' lists them)"
            )
    return names


def _auth_list(text: str, source: str) -> list[str]:
    return _plugin_list(text, source, "authentication", "rest_auth/", AUTH_PLUGINS, "-a")


def _openapi_list(text: str, source: str) -> list[str]:
    return _plugin_list(text, source, "OpenAPI", "openapi/", OPENAPI_PLUGINS, "-s")


def _parser_list(text: str, source: str) -> list[str]:
    return _plugin_list(text, source, "data parser", "data_parser/", PARSERS, "-d",
                        {"latest": PARSERS[-1]})


def selected(plugins: list[str], parsers: list[str]) -> list[str]:
    """The versions served (versions.Version.plugin): the 22.05-style ones
    named in `plugins`, and the parser versions in `parsers` of the content
    plugins named there."""
    return [v.plugin for v in VERSIONS
            if (v.content in plugins and v.version in parsers if v.parser
                else v.plugin in plugins)]


# What "-a list", "-s list" and "-d list" print.
LISTS = {"list_auth": ("rest_auth/", AUTH_PLUGINS), "list_plugins": ("openapi/", OPENAPI_PLUGINS),
         "list_parsers": ("data_parser/", PARSERS)}


def _is_list(text: str | None) -> bool:
    return text is not None and text.strip().lower() == "list"


# --------------------------------------------------------------------------
# numbers


def _int(text: str, what: str) -> int:
    t = text.strip()
    if not t or not re.fullmatch(r"[+-]?[0-9]+", t):
        raise UsageError(f"invalid {what}: {text!r} is not a number")
    return int(t)


def _threads(text: str) -> int:
    n = _int(text, "thread count (-t)")
    if n < MIN_THREADS:
        raise UsageError(
            f"invalid thread count (-t) {n}: at least {MIN_THREADS} threads are needed"
        )
    if n > MAX_THREADS:
        raise UsageError(
            f"invalid thread count (-t) {n}: at most {MAX_THREADS} threads are allowed"
        )
    return n


def _max_connections(text: str, source: str) -> int:
    n = _int(text, f"connection limit ({source})")
    if n < 1:
        raise UsageError(
            f"invalid connection limit ({source}) {n}: must be at least 1"
        )
    return n


def _seconds(text: str, source: str) -> float:
    t = text.strip()
    if not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", t) or float(t) <= 0:
        raise UsageError(
            f"invalid timeout ({source}) {text!r}: expected a number of seconds "
            "greater than 0"
        )
    return float(t)


def _file(text: str, source: str) -> str:
    if not text.strip():
        raise UsageError(f"{source} needs a file name")
    return text


_TIMEOUTS = {  # option -> (attribute, environment variable)
    "--idle-timeout": ("idle_timeout", "SLURMRESTD_IDLE_TIMEOUT"),
    "--read-timeout": ("read_timeout", "SLURMRESTD_READ_TIMEOUT"),
    "--shutdown-timeout": ("shutdown_timeout", "SLURMRESTD_SHUTDOWN_TIMEOUT"),
    "--idle-exit": ("idle_exit", "SLURMRESTD_IDLE_EXIT"),
}
_FILES = {
    "--tls-cert": ("tls_cert", "SLURMRESTD_TLS_CERT"),
    "--tls-key": ("tls_key", "SLURMRESTD_TLS_KEY"),
}


def _debug_level(text: str) -> int:
    t = text.strip()
    if not re.fullmatch(r"[0-9]+", t) or int(t) <= 0:
        raise UsageError(
            f"invalid SLURMRESTD_DEBUG={text!r}: expected a number greater than 0"
        )
    return int(t)


def _security(text: str) -> set[str]:
    words: set[str] = set()
    for word in _split_csv(text):
        w = word.lower()
        if w not in SECURITY_WORDS:
            raise UsageError(
                f"invalid word {word!r} in SLURMRESTD_SECURITY (allowed: "
                f"{', '.join(sorted(SECURITY_WORDS))})"
            )
        words.add(w)
    return words


def _check_user(spec: str) -> None:
    from . import security  # local import: security.py imports nothing of ours

    try:
        security.resolve_user(spec)
    except (ValueError, KeyError) as err:
        raise UsageError(f"-u {spec}: {err}") from None


def _check_group(spec: str) -> None:
    from . import security

    try:
        security.resolve_group(spec)
    except (ValueError, KeyError) as err:
        raise UsageError(f"-g {spec}: {err}") from None


# --------------------------------------------------------------------------


def _getopt(argv: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """GNU-style option scan (options and operands mixed, `--` ends options).

    getopt would do, but it imports gettext: ~3 ms on every inet connection.
    """
    opts: list[tuple[str, str]] = []
    args: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            args.extend(argv[i:])
            break
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            matches = [o for o in _LONG_OPTS if o.rstrip("=") == name] or \
                [o for o in _LONG_OPTS if o.startswith(name)]
            if len(matches) != 1:
                raise UsageError(f"option --{name} not recognized\n{_hint()}")
            long = matches[0]
            if long.endswith("="):
                if not eq:
                    if i >= len(argv):
                        raise UsageError(f"option --{name} requires argument\n{_hint()}")
                    val, i = argv[i], i + 1
            elif eq:
                raise UsageError(f"option --{name} must not have an argument\n{_hint()}")
            opts.append(("--" + long.rstrip("="), val))
        elif a.startswith("-") and a != "-":
            j = 1
            while j < len(a):
                c = a[j]
                pos = _SHORT_OPTS.find(c)
                if pos < 0 or c == ":":
                    raise UsageError(f"option -{c} not recognized\n{_hint()}")
                if pos + 1 < len(_SHORT_OPTS) and _SHORT_OPTS[pos + 1] == ":":
                    val = a[j + 1:]
                    if not val:
                        if i >= len(argv):
                            raise UsageError(f"option -{c} requires argument\n{_hint()}")
                        val, i = argv[i], i + 1
                    opts.append(("-" + c, val))
                    break
                opts.append(("-" + c, ""))
                j += 1
        else:
            args.append(a)
    return opts, args


def parse(argv: list[str], environ: Mapping[str, str]) -> Options:
    """Parse argv (without the program name) and the environment.

    Raises UsageError for anything malformed.  For -h/--help and
    -V/--version nothing else is validated, so help always works.
    """
    opts, args = _getopt(list(argv))

    for opt, _ in opts:
        if opt in ("-h", "--help"):
            return Options(action="help")
        if opt in ("-V", "--version"):
            return Options(action="version")

    o = Options()

    # --- environment first; options below override it
    auth_text: str | None = environ.get("SLURMRESTD_AUTH_TYPES")
    auth_source = "SLURMRESTD_AUTH_TYPES"
    oas_text: str | None = environ.get("SLURMRESTD_OPENAPI_PLUGINS")
    oas_source = "SLURMRESTD_OPENAPI_PLUGINS"
    dp_text: str | None = environ.get("SLURMRESTD_DATA_PARSER_PLUGINS")
    dp_source = "SLURMRESTD_DATA_PARSER_PLUGINS"

    if "SLURMRESTD_DEBUG" in environ:
        o.verbosity = _debug_level(environ["SLURMRESTD_DEBUG"])
    if "SLURMRESTD_SECURITY" in environ:
        o.security = _security(environ["SLURMRESTD_SECURITY"])
    if "SLURMRESTD_MAX_CONNECTIONS" in environ:
        o.max_connections = _max_connections(
            environ["SLURMRESTD_MAX_CONNECTIONS"], "SLURMRESTD_MAX_CONNECTIONS"
        )
    for attr, var in _TIMEOUTS.values():
        if var in environ:
            setattr(o, attr, _seconds(environ[var], var))
    for attr, var in _FILES.values():
        if environ.get(var):
            setattr(o, attr, environ[var])
    if environ.get("SLURM_CONF"):
        o.slurm_conf = environ["SLURM_CONF"]
    env_listen = _split_csv(environ.get("SLURMRESTD_LISTEN", ""))

    # --- command line
    for opt, val in opts:
        if opt == "-a":
            auth_text, auth_source = val, "-a"
        elif opt == "-s":
            oas_text, oas_source = val, "-s"
        elif opt == "-d":
            dp_text, dp_source = val, "-d"
        elif opt == "-f":
            if not val:
                raise UsageError("-f needs a file name")
            o.slurm_conf = val
        elif opt == "-g":
            if not val.strip():
                raise UsageError("-g needs a group name or number")
            o.group = val.strip()
        elif opt == "-u":
            if not val.strip():
                raise UsageError("-u needs a user name or number")
            o.user = val.strip()
        elif opt == "-t":
            o.threads = _threads(val)
        elif opt == "-v":
            o.verbosity += 1
        elif opt == "--max-connections":
            o.max_connections = _max_connections(val, "--max-connections")
        elif opt in _TIMEOUTS:
            setattr(o, _TIMEOUTS[opt][0], _seconds(val, opt))
        elif opt in _FILES:
            setattr(o, _FILES[opt][0], _file(val, opt))

    # --- list actions (like the reference, -a list wins over -s list)
    if _is_list(auth_text):
        o.action = "list_auth"
        return o
    if _is_list(oas_text):
        o.action = "list_plugins"
        return o
    if _is_list(dp_text):
        o.action = "list_parsers"
        return o

    if auth_text is not None:
        o.auth = _auth_list(auth_text, auth_source)
    if oas_text is not None or dp_text is not None:
        o.plugins = selected(
            OPENAPI_PLUGINS if oas_text is None else _openapi_list(oas_text, oas_source),
            PARSERS if dp_text is None else _parser_list(dp_text, dp_source))

    if o.user is not None:
        _check_user(o.user)
    if o.group is not None:
        _check_group(o.group)

    o.listen = list(args) if args else env_listen
    for addr in o.listen:
        parse_listen(addr)

    return o
