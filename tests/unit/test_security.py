"""Tests for slurmrestd_py.security.

The lock-down and privilege tests change the process for good, so they run
in a forked child and report through its exit status.  They need root
(the test suite runs as root).
"""

from __future__ import annotations

import grp
import os
import pwd
import sys
import threading
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slurmrestd_py.security import (  # noqa: E402
    check_user,
    drop_privileges,
    lockdown,
    resolve_group,
    resolve_user,
)

SLURM_UID = 64030
SLURM_GID = 64030
ALL = {"disable_unshare_sysv", "disable_unshare_files", "disable_user_check"}

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")


def in_child(fn) -> int:
    """Run fn() in a forked child; return its exit status.

    fn returns an int exit code; an exception is printed and gives 99.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child
        code = 98
        try:
            code = int(fn())
        except BaseException:  # noqa: BLE001 - report anything
            traceback.print_exc()
            code = 99
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), f"child died: status {status:#x}"
    return os.WEXITSTATUS(status)


def status_field(name: str) -> str:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    raise KeyError(name)


# ---------------------------------------------------------------- check_user


@pytest.mark.parametrize(
    "uid,gid,word",
    [
        (0, 0, "root"),
        (0, 1001, "root"),
        (1001, 0, "root's group"),
        (SLURM_UID, 1001, "SlurmUser"),
        (SLURM_UID, SLURM_GID, "SlurmUser"),
        (1001, SLURM_GID, "SlurmUser's group"),
    ],
)
def test_check_user_refuses(uid, gid, word):
    msg = check_user(uid, gid, SLURM_UID, SLURM_GID, set())
    assert msg is not None and word in msg
    assert "disable_user_check" in msg
    # other security words do not relax the user check
    assert check_user(uid, gid, SLURM_UID, SLURM_GID,
                      {"disable_unshare_sysv", "disable_unshare_files"}) is not None


@pytest.mark.parametrize("uid,gid", [(1001, 1001), (1002, 100), (65534, 65534)])
def test_check_user_allows_ordinary_user(uid, gid):
    assert check_user(uid, gid, SLURM_UID, SLURM_GID, set()) is None


@pytest.mark.parametrize("uid,gid", [(0, 0), (SLURM_UID, SLURM_GID), (1001, 0),
                                     (1001, SLURM_GID), (1001, 1001)])
def test_check_user_disabled(uid, gid):
    assert check_user(uid, gid, SLURM_UID, SLURM_GID, {"disable_user_check"}) is None
    assert check_user(uid, gid, SLURM_UID, SLURM_GID, ALL) is None


def test_check_user_compares_real_slurm_user():
    # The reference 22.05.7+ compares against uid 0; we use SlurmUser.
    assert check_user(1001, 1001, 1001, 2000, set()) is not None
    assert check_user(1001, 1001, SLURM_UID, SLURM_GID, set()) is None


def test_check_user_slurm_user_root():
    assert "root" in check_user(0, 0, 0, 0, set())
    assert check_user(1001, 1001, 0, 0, set()) is None


# ---------------------------------------------------------------- resolve


def test_resolve_user():
    assert resolve_user("root") == (0, 0)
    assert resolve_user("0") == (0, 0)
    me = pwd.getpwuid(os.getuid())
    assert resolve_user(me.pw_name) == (me.pw_uid, me.pw_gid)
    assert resolve_user(f" {me.pw_uid} ") == (me.pw_uid, me.pw_gid)


@pytest.mark.parametrize("spec", ["no-such-user-xyz", "99999999", "4000000000", "", "-1"])
def test_resolve_user_unknown(spec):
    with pytest.raises(ValueError):
        resolve_user(spec)


def test_resolve_group():
    assert resolve_group("root") == 0
    assert resolve_group("0") == 0


@pytest.mark.parametrize("spec", ["no-such-group-xyz", "99999999", ""])
def test_resolve_group_unknown(spec):
    with pytest.raises(ValueError):
        resolve_group(spec)


# ---------------------------------------------------------------- lockdown


def _no_new_privs() -> int:
    return int(status_field("NoNewPrivs"))


def test_parent_has_new_privs():
    # sanity: the test process itself is not locked down
    assert _no_new_privs() == 0


def test_lockdown_sets_no_new_privs():
    def child():
        if _no_new_privs() != 0:
            return 2
        lockdown(set())
        return 0 if _no_new_privs() == 1 else 3

    assert in_child(child) == 0
    assert _no_new_privs() == 0  # the parent is untouched


def test_lockdown_unshares_files():
    # After unshare(CLONE_FILES) the fd table is private: a child created
    # with a shared table (a thread) would not see new fds.  We check what
    # can be seen from one thread: the call succeeded and fds still work.
    def child():
        r, w = os.pipe()
        lockdown(set())
        os.write(w, b"x")
        return 0 if os.read(r, 1) == b"x" else 4

    assert in_child(child) == 0


@pytest.mark.parametrize("words", [
    {"disable_unshare_sysv"},
    {"disable_unshare_files"},
    {"disable_unshare_sysv", "disable_unshare_files"},
    ALL,
])
def test_lockdown_with_relaxations(words):
    def child():
        lockdown(set(words))
        return 0 if _no_new_privs() == 1 else 3

    assert in_child(child) == 0


def test_lockdown_refuses_after_threads_started():
    def child():
        stop = threading.Event()
        t = threading.Thread(target=stop.wait, daemon=True)
        t.start()
        try:
            lockdown(set())
        except OSError as err:
            ok = "thread" in str(err)
            # without CLONE_FILES unsharing, threads are fine
            lockdown({"disable_unshare_files"})
            stop.set()
            return 0 if ok and _no_new_privs() == 1 else 5
        return 6

    assert in_child(child) == 0


def test_lockdown_failure_is_oserror():
    def child():
        # make unshare fail: pretend the C library says EPERM
        import slurmrestd_py.slurm as binding

        class FakeLib:
            PR_SET_NO_NEW_PRIVS = binding.lib.PR_SET_NO_NEW_PRIVS
            CLONE_SYSVSEM = binding.lib.CLONE_SYSVSEM
            CLONE_FILES = binding.lib.CLONE_FILES

            @staticmethod
            def prctl(*args):
                return 0

            @staticmethod
            def unshare(flags):
                binding.ffi.errno = 1
                return -1

        binding.lib = FakeLib()
        try:
            lockdown(set())
        except OSError as err:
            return 0 if "unshare" in str(err) and err.errno == 1 else 7
        return 8

    assert in_child(child) == 0


# ---------------------------------------------------------------- drop_privileges


def _nobody():
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody")


def test_drop_privileges_nothing():
    def child():
        drop_privileges(None, None)
        return 0 if os.getuid() == 0 or os.getuid() == os.geteuid() else 9

    assert in_child(child) == 0


@needs_root
def test_drop_privileges_user():
    nobody = _nobody()

    def child():
        drop_privileges("nobody", None)
        ok = (os.getuid() == os.geteuid() == nobody.pw_uid
              and os.getgid() == os.getegid() == nobody.pw_gid
              and os.getgroups() in ([], [nobody.pw_gid]))
        if not ok:
            return 10
        # cannot go back
        try:
            os.setuid(0)
        except PermissionError:
            return 0
        return 11

    assert in_child(child) == 0


@needs_root
def test_drop_privileges_numeric_user_and_group():
    nobody = _nobody()
    group = grp.getgrgid(nobody.pw_gid)

    def child():
        drop_privileges(str(nobody.pw_uid), group.gr_name)
        return 0 if (os.getuid(), os.getgid()) == (nobody.pw_uid, group.gr_gid) else 12

    assert in_child(child) == 0


@needs_root
def test_drop_privileges_group_only():
    nobody = _nobody()

    def child():
        os.setgroups([0, 1, 2])
        drop_privileges(None, str(nobody.pw_gid))
        return 0 if (os.getuid() == 0 and os.getgid() == nobody.pw_gid
                     and os.getgroups() == []) else 13

    assert in_child(child) == 0


def test_drop_privileges_unknown():
    with pytest.raises(ValueError, match="user"):
        drop_privileges("no-such-user-xyz", None)
    with pytest.raises(ValueError, match="group"):
        drop_privileges(None, "no-such-group-xyz")


@needs_root
def test_drop_privileges_refused_is_oserror():
    nobody = _nobody()

    def child():
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
        try:
            drop_privileges("root", None)
        except OSError as err:
            return 0 if "setgid" in str(err) or "setuid" in str(err) else 14
        return 15

    assert in_child(child) == 0


@needs_root
def test_lockdown_then_drop_then_check():
    """The start-up order: lock down, (bind), drop, check."""
    nobody = _nobody()

    def child():
        lockdown(set())
        drop_privileges("nobody", None)
        msg = check_user(os.getuid(), os.getgid(), SLURM_UID, SLURM_GID, set())
        ok = os.getuid() == nobody.pw_uid and msg is None and _no_new_privs() == 1
        return 0 if ok else 16

    assert in_child(child) == 0
