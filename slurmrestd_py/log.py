"""Logging for slurmrestd-py.

One logger, `log.logger` ("slurmrestd-py"), that every module logs through.
It is not the `logging` module, whose import and set-up cost ~5.5 ms of
every inet connection: it does the little we need of it (levels, one line
per record, stderr or syslog) and imports nothing until a line is written.

Level: like the reference, info lines (one per request) are logged by
default; any -v (or SLURMRESTD_DEBUG) adds debug lines.

Destination: stderr when stderr is a tty or SLURMRESTD_LOG_STDERR is set to
a true value (1, yes, true, on); otherwise syslog through /dev/log (facility
daemon, ident "slurmrestd-py"); stderr again if /dev/log is unusable.
Never stdout: in inet mode stdout carries the HTTP response.

No tracebacks: an exception logged with a record (`log.exception`) is one
line, its type, message and the place it was raised (`describe`), so a log
line never spreads over many and a log never holds a request's data beyond
its first words.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Mapping

LOGGER_NAME = "slurmrestd-py"
SYSLOG_ADDRESS = "/dev/log"
DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40

_TRUE = {"1", "yes", "true", "on", "y"}
_TAGS = {DEBUG: "debug: ", INFO: "", WARNING: "warning: ", ERROR: "error: "}


def level_for(verbosity: int) -> int:
    """The level for a verbosity (count of -v plus SLURMRESTD_DEBUG)."""
    return DEBUG if verbosity > 0 else INFO


class _Stream:
    """'slurmrestd-py: msg' for info, 'slurmrestd-py: error: msg' otherwise."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, level: int, text: str) -> None:
        self.stream.write(f"{LOGGER_NAME}: {_TAGS[level]}{text}\n")
        self.stream.flush()


class _Syslog:
    """Syslog through the C library (facility daemon, with our pid)."""

    _PRIORITY = {DEBUG: 7, INFO: 6, WARNING: 4, ERROR: 3}

    def __init__(self) -> None:
        import syslog
        self._syslog = syslog
        syslog.openlog(LOGGER_NAME, syslog.LOG_PID, syslog.LOG_DAEMON)

    def write(self, level: int, text: str) -> None:
        self._syslog.syslog(self._PRIORITY[level], _TAGS[level] + text)


class Logger:
    """Records below `level` cost one comparison; the others are one line,
    `msg % args`, with an exception's `describe` after it for `exception`."""

    name = LOGGER_NAME

    def __init__(self) -> None:
        # Before setup(): warnings and errors to stderr, as `logging` does.
        self.level = WARNING
        self.sink = _Stream(sys.stderr)
        self.silent = False

    def debug(self, msg: str, *args) -> None:
        self._log(DEBUG, msg, args)

    def info(self, msg: str, *args) -> None:
        self._log(INFO, msg, args)

    def warning(self, msg: str, *args) -> None:
        self._log(WARNING, msg, args)

    def error(self, msg: str, *args) -> None:
        self._log(ERROR, msg, args)

    def exception(self, msg: str, *args) -> None:
        self._log(ERROR, msg, args, sys.exc_info()[1])

    def _log(self, level: int, msg: str, args, exc: BaseException | None = None) -> None:
        if level < self.level or self.silent:
            return
        text = msg % args if args else msg
        if exc is not None:
            text += ": " + describe(exc)
        try:
            self.sink.write(level, text)
        except Exception:
            # A line that cannot be written (a signal's exception raised
            # inside the write, a closed stream) is dropped, never a traceback.
            pass


logger = Logger()

_MESSAGE_MAX = 160


def describe(exc: BaseException) -> str:
    """An exception on one line: type, message (cut short) and where it was raised."""
    message = " ".join(str(exc).split())
    if len(message) > _MESSAGE_MAX:
        message = message[:_MESSAGE_MAX] + "..."
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = ""
    if tb is not None:
        code = tb.tb_frame.f_code
        where = f" at {os.path.basename(code.co_filename)}:{tb.tb_lineno} in {code.co_name}"
    return f"{type(exc).__name__}: {message!r}{where}"


def _is_stdout(stream: IO[str]) -> bool:
    if stream is sys.stdout or stream is sys.__stdout__:
        return True
    try:
        return stream.fileno() == 1
    except (AttributeError, OSError, ValueError):
        return False


def _stderr_tty() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def setup(verbosity: int, *, stream: IO[str] | None = None,
          environ: Mapping[str, str] | None = None) -> Logger:
    """Configure and return the logger.

    stream, if given, receives the log lines (tests use it); it must not be
    stdout.  Otherwise the destination is chosen as described in the module
    documentation.  Calling setup() again replaces the previous destination.
    """
    env = os.environ if environ is None else environ
    if stream is not None:
        if _is_stdout(stream):
            raise ValueError("refusing to log to stdout (it carries HTTP in inet mode)")
        sink = _Stream(stream)
    elif (env.get("SLURMRESTD_LOG_STDERR", "").strip().lower() in _TRUE
          or _stderr_tty() or not os.path.exists(SYSLOG_ADDRESS)):
        sink = _Stream(sys.stderr)
    else:
        sink = _Syslog()
    logger.sink = sink
    logger.level = level_for(verbosity)
    return logger
