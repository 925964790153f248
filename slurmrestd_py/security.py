"""Start-up lock-down, privilege dropping and the "who may run us" check.

slurmrestd-py only translates REST to Slurm RPCs, so like the reference it
gives up what it does not need:

* :func:`lockdown` - ``PR_SET_NO_NEW_PRIVS`` and unsharing the System V
  semaphore undo list and the file descriptor table.  Call it early, before
  any thread is started: after ``unshare(CLONE_FILES)`` the calling thread has
  a private descriptor table, so threads started earlier would no longer see
  the descriptors it opens.
* :func:`drop_privileges` - setgid/setuid to ``-g``/``-u`` after the
  listening sockets are bound.
* :func:`check_user` - refuse to serve as root, root's group, SlurmUser or
  SlurmUser's group unless ``SLURMRESTD_SECURITY=disable_user_check``.

prctl(2) and unshare(2) are called through the cffi binding
since Python 3.11 has no os.unshare.
"""

from __future__ import annotations

import errno as _errno
import grp
import os
import pwd

def _call(rc: int, what: str) -> None:
    if rc != 0:
        from .slurm import ffi
        err = ffi.errno or _errno.EPERM
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _prctl_no_new_privs() -> None:
    # Through the cffi binding that is loaded anyway: ctypes costs ~5 ms of start-up.
    from .slurm import ffi, lib
    _call(lib.prctl(lib.PR_SET_NO_NEW_PRIVS, ffi.cast("unsigned long", 1),
                    ffi.cast("unsigned long", 0), ffi.cast("unsigned long", 0),
                    ffi.cast("unsigned long", 0)),
          "unable to disable new privileges (prctl PR_SET_NO_NEW_PRIVS)")


def _unshare(flag: str, what: str) -> None:
    from .slurm import lib
    _call(lib.unshare(getattr(lib, flag)), f"unable to unshare {what}")


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def lockdown(security: set[str]) -> None:
    """Give up privileges this process never needs.

    Sets PR_SET_NO_NEW_PRIVS, then unshares the System V semaphore namespace
    (unless "disable_unshare_sysv" is in security) and the file descriptor
    table (unless "disable_unshare_files").  Raises OSError with a readable
    message on failure; the caller reports it and exits 1.
    """
    unshare_files = "disable_unshare_files" not in security
    if unshare_files and _thread_count() > 1:
        raise OSError(
            _errno.EBUSY,
            "unable to unshare file descriptors: lock-down must run before "
            "any thread is started",
        )
    _prctl_no_new_privs()
    if "disable_unshare_sysv" not in security:
        _unshare("CLONE_SYSVSEM", "System V semaphores (CLONE_SYSVSEM)")
    if unshare_files:
        _unshare("CLONE_FILES", "file descriptors (CLONE_FILES)")


# --------------------------------------------------------------------------
# users and groups


def _numeric(spec: str) -> int | None:
    s = spec.strip()
    if s.isascii() and s.isdigit():
        return int(s)
    return None


def resolve_user(spec: str) -> tuple[int, int]:
    """Return (uid, primary gid) for a user name or number.

    Like the reference, a number must also exist in the user database.
    Raises ValueError if the user is unknown.
    """
    s = spec.strip()
    if not s:
        raise ValueError("empty user name")
    try:
        pw = pwd.getpwnam(s)
    except KeyError:
        n = _numeric(s)
        if n is None:
            raise ValueError(f"unknown user {s!r}") from None
        try:
            pw = pwd.getpwuid(n)
        except (KeyError, OverflowError):
            raise ValueError(f"unknown user id {n}") from None
    return pw.pw_uid, pw.pw_gid


def resolve_group(spec: str) -> int:
    """Return the gid for a group name or number; ValueError if unknown."""
    s = spec.strip()
    if not s:
        raise ValueError("empty group name")
    try:
        return grp.getgrnam(s).gr_gid
    except KeyError:
        n = _numeric(s)
        if n is None:
            raise ValueError(f"unknown group {s!r}") from None
        try:
            return grp.getgrgid(n).gr_gid
        except (KeyError, OverflowError):
            raise ValueError(f"unknown group id {n}") from None


def drop_privileges(user: str | None, group: str | None) -> None:
    """setgid/setuid to the requested group and user (after binding sockets).

    user and group are names or numbers.  With a user but no group, the
    user's primary group is used (as the reference does).  Supplementary
    groups are dropped when running as root.  Raises ValueError for an
    unknown user or group and OSError (with a readable message) when the
    kernel refuses a change.
    """
    if user is None and group is None:
        return
    uid: int | None = None
    gid: int | None = None
    if user is not None:
        uid, gid = resolve_user(user)
    if group is not None:
        gid = resolve_group(group)

    if os.geteuid() == 0:
        try:
            os.setgroups([])
        except OSError as err:
            raise OSError(err.errno,
                          f"unable to drop supplementary groups: {err.strerror}") from None
    if gid is not None:
        try:
            os.setgid(gid)
        except OSError as err:
            raise OSError(err.errno, f"unable to setgid({gid}): {err.strerror}") from None
    if uid is not None:
        try:
            os.setuid(uid)
        except OSError as err:
            raise OSError(err.errno, f"unable to setuid({uid}): {err.strerror}") from None
        if os.getuid() != uid or os.geteuid() != uid:
            raise OSError(_errno.EPERM, f"unable to setuid({uid}): still uid {os.geteuid()}")
    if gid is not None and (os.getgid() != gid or os.getegid() != gid):
        raise OSError(_errno.EPERM, f"unable to setgid({gid}): still gid {os.getegid()}")


def check_user(uid: int, gid: int, slurm_user: int, slurm_group: int,
               security: set[str]) -> str | None:
    """None if the daemon may serve as uid/gid, else the reason it may not.

    Refuses root (uid 0), root's group (gid 0), SlurmUser and SlurmUser's
    group; skipped entirely with "disable_user_check" in security.  Unlike
    the reference 22.05.7+, SlurmUser is compared with the real SlurmUser.
    """
    if "disable_user_check" in security:
        return None
    hint = (" (use -u/-g to run as an unprivileged user, or set "
            "SLURMRESTD_SECURITY=disable_user_check)")
    if uid == 0:
        return "refusing to run as root" + hint
    if gid == 0:
        return "refusing to run with root's group (gid 0)" + hint
    if uid == slurm_user:
        return f"refusing to run as SlurmUser (uid {slurm_user})" + hint
    if gid == slurm_group:
        return f"refusing to run with SlurmUser's group (gid {slurm_group})" + hint
    return None
