"""The top-level guard: whatever fails while a request is handled, the client
gets an answer (or a visibly cut one), the log one line, and the connection ends."""
import io

import pytest

from slurmrestd_py import log
from slurmrestd_py.http import Connection, Response
from slurmrestd_py.transport import serve


@pytest.fixture
def logged():
    saved = log.logger.sink, log.logger.level
    stream = io.StringIO()
    log.setup(0, stream=stream)
    yield stream
    log.logger.sink, log.logger.level = saved


def run(wire: bytes, app, conn=None) -> bytes:
    out, chunks = [], [wire, b""]
    serve(conn or Connection(), app, lambda: chunks.pop(0), out.append)
    return b"".join(out)


def boom(request):
    raise KeyError("x")


class BrokenCore(Connection):
    def next_event(self):
        ev = super().next_event()
        if hasattr(ev, "method"):
            raise AssertionError("a bug in the core\nsecond line")
        return ev


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_failing_core_still_answers_500_and_closes(method, logged):
    wire = f"{method} /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\n\r\n".encode()
    sent = run(wire, lambda r: Response(200, body=b"ok"), BrokenCore())
    assert sent.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert sent.count(b"HTTP/1.1") == 1 and b"Connection: close" in sent
    assert sent.endswith(b"\r\n\r\n" if method == "HEAD" else b"Internal error")
    lines = logged.getvalue().splitlines()
    assert len(lines) == 1 and "AssertionError" in lines[0] and "Traceback" not in lines[0]
    assert "test_guard.py" in lines[0]  # where it was raised


def test_an_app_that_raises_is_answered_by_the_guard(logged):
    sent = run(b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n", boom)
    assert sent.startswith(b"HTTP/1.1 500") and sent.endswith(b"Internal error")
    assert "internal error serving GET /x: KeyError" in logged.getvalue()


def test_logged_exceptions_are_one_line(logged):
    try:
        raise ValueError("first\nsecond " + "x" * 500)
    except ValueError:
        log.logger.exception("failed")
    [line] = logged.getvalue().splitlines()
    assert line.startswith("slurmrestd-py: error: failed: ValueError: 'first second x")
    assert len(line) < 300 and "test_guard.py" in line


def test_what_escapes_main_is_one_line_and_status_1():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-c", (
        "import os; os.environ['SLURMRESTD_LOG_STDERR'] = '1'\n"
        "from slurmrestd_py import cli, log\n"
        "def main():\n    log.setup(0)\n    raise OSError(5, 'I/O error')\n"
        "cli.main = main\ncli.run()")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1 and "stopped: OSError" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_line_that_cannot_be_written_is_dropped_without_a_traceback(logged, capsys):
    class Interrupted(io.StringIO):
        def write(self, text):
            raise RuntimeError("a signal handler raised here")
    log.logger.sink.stream = Interrupted()
    log.logger.info("TLS handshake failed: %s", "timed out")
    assert "Traceback" not in capsys.readouterr().err
