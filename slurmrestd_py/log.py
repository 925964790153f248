"""Logging for slurmrestd-py.

One logger, "slurmrestd-py"; other modules log through it or through its
children (logging.getLogger("slurmrestd-py.http") and so on).

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

import logging
import os
import sys
from typing import IO, Mapping

LOGGER_NAME = "slurmrestd-py"
SYSLOG_ADDRESS = "/dev/log"

_TRUE = {"1", "yes", "true", "on", "y"}

# Handlers installed by setup(), so a second call replaces them.
_installed: list[logging.Handler] = []


def level_for(verbosity: int) -> int:
    """The logging level for a verbosity (count of -v plus SLURMRESTD_DEBUG)."""
    return logging.DEBUG if verbosity > 0 else logging.INFO


class _StderrFormatter(logging.Formatter):
    """'slurmrestd-py: msg' for info, 'slurmrestd-py: error: msg' otherwise."""

    _tags = {
        logging.DEBUG: "debug: ",
        logging.INFO: "",
        logging.WARNING: "warning: ",
        logging.ERROR: "error: ",
        logging.CRITICAL: "fatal: ",
    }

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._prefix = prefix

    def format(self, record: logging.LogRecord) -> str:
        tag = self._tags.get(record.levelno, record.levelname.lower() + ": ")
        text = f"{self._prefix}{tag}{record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            text += ": " + describe(record.exc_info[1])
        return text


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


def _stream_handler(stream: IO[str]) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_StderrFormatter(f"{LOGGER_NAME}: "))
    return handler


class _SyslogHandler(logging.Handler):
    """Syslog through the C library: logging.handlers costs ~3 ms of start-up."""

    _PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4,
                 logging.ERROR: 3, logging.CRITICAL: 2}

    def __init__(self) -> None:
        super().__init__()
        import syslog
        self._syslog = syslog
        syslog.openlog(LOGGER_NAME, syslog.LOG_PID, syslog.LOG_DAEMON)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._syslog.syslog(self._PRIORITY.get(record.levelno, 6), self.format(record))
        except Exception:  # logging must never take the daemon down
            self.handleError(record)


def _syslog_handler() -> logging.Handler | None:
    if not os.path.exists(SYSLOG_ADDRESS):
        return None
    handler = _SyslogHandler()
    handler.setFormatter(_StderrFormatter(""))
    return handler


def setup(verbosity: int, *, stream: IO[str] | None = None,
          environ: Mapping[str, str] | None = None) -> logging.Logger:
    """Configure and return the "slurmrestd-py" logger.

    stream, if given, receives the log lines (tests use it); it must not be
    stdout.  Otherwise the destination is chosen as described in the module
    documentation.  Calling setup() again replaces the previous handlers.
    """
    env = os.environ if environ is None else environ
    logger = logging.getLogger(LOGGER_NAME)

    handler: logging.Handler | None = None
    if stream is not None:
        if _is_stdout(stream):
            raise ValueError("refusing to log to stdout (it carries HTTP in inet mode)")
        handler = _stream_handler(stream)
    elif (env.get("SLURMRESTD_LOG_STDERR", "").strip().lower() in _TRUE
          or _stderr_tty()):
        handler = _stream_handler(sys.stderr)
    else:
        handler = _syslog_handler() or _stream_handler(sys.stderr)

    for old in _installed:
        logger.removeHandler(old)
        try:
            old.close()
        except Exception:  # pragma: no cover - closing must not fail setup
            pass
    _installed.clear()

    logger.addHandler(handler)
    _installed.append(handler)
    # A line that cannot be written (a signal's exception raised inside the
    # write, a closed stream) is dropped: logging would print a traceback.
    logging.raiseExceptions = False
    logger.setLevel(level_for(verbosity))
    logger.propagate = False
    return logger
