"""The child side of `bench_ping.py --phases`: runs the installed console
script unchanged (its code, in this process, with the interpreter and
flags of its #! line) and writes to descriptor FD when each phase of one
inet connection ends, as `name monotonic-seconds` lines (a phase that
recurs, such as a second call of slurm.init, is marked the first time only).

    python [FLAGS] inet_phases.py FD CONSOLE_SCRIPT [ARGS...]

Marks are placed by wrapping functions right after their module is
imported (a finder ahead of the others), so nothing is imported early and
the code path is the command's own. This file imports nothing the
interpreter has not already loaded at start.
"""
import os
import sys
import time

_now = time.monotonic  # CLOCK_MONOTONIC: the parent's clock too
_marks = [("interpreter", _now())]


def mark(name: str) -> None:
    if all(name != n for n, _ in _marks):
        _marks.append((name, _now()))


def _around(owner, attr: str, before: str | None, after: str | None) -> None:
    """Mark `before` when owner.attr is called and `after` when it returns."""
    inner = getattr(owner, attr, None)
    if inner is None:  # not in this version of the code: no mark
        return

    def wrapper(*args, **kwargs):
        if before:
            mark(before)
        try:
            return inner(*args, **kwargs)
        finally:
            if after:
                mark(after)
    setattr(owner, attr, wrapper)


def _cli(m):
    _around(m, "app_factory", "checks", "app")


def _options(m):
    _around(m, "parse", "imports", "options")


def _log(m):
    _around(m, "setup", None, "logging")


def _transport(m):
    _around(m, "serve_fds", "serve", "answer")


def _auth(m):
    _around(m.Authenticator, "authenticate", "request", "auth")


def _slurm(m):
    # act_as: slurm.conf read, auth plugin loaded, the client's credential set
    # (init alone in code before it)
    _around(m, "act_as" if hasattr(m, "act_as") else "init", "log lines", "libslurm init")


def _controllers(m):
    _around(m, "ping_all", "route", "RPC")


_PATCH = {"slurmrestd_py.cli": _cli, "slurmrestd_py.options": _options,
          "slurmrestd_py.log": _log, "slurmrestd_py.transport": _transport,
          "slurmrestd_py.auth": _auth, "slurmrestd_py.slurm": _slurm,
          "slurmrestd_py.controllers": _controllers}


class _Finder:
    """Finds nothing itself: wraps the loader of the modules in _PATCH so
    their functions are wrapped once the module has run."""

    @staticmethod
    def find_spec(name, path, target=None):
        patch = _PATCH.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is _Finder:
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            patch(module)
        spec.loader.exec_module = exec_module
        return spec


def _exit(code, _real=os._exit):
    mark("flush")
    os.write(_fd, "".join(f"{n} {t!r}\n" for n, t in _marks).encode()
             + b"modules " + " ".join(sorted(sys.modules)).encode() + b"\n")
    _real(code)


sys.meta_path.insert(0, _Finder)
os._exit = _exit
_fd = int(sys.argv[1])
script = sys.argv[2]
sys.argv = sys.argv[2:]
with open(script) as f:
    code = compile(f.read(), script, "exec")
mark("driver")  # this file's own cost, between "interpreter" and here
exec(code, {"__name__": "__main__", "__file__": script})
