"""Every way a request can fail, and Slurm's error numbers: one home.

- `HttpError`: a plain-text answer (routing, parsing, authentication), then close.
- `ApiError`: an answer in the endpoint's own envelope, with error entries.
- `SlurmError`: a libslurm call failed; the app turns it into the envelope's
  error entry (a 500, a 401 for refused credentials, a 304 for no change).
- `PropertyError`: a job property refuses its value (jobdesc), with the
  reference's entries for it.
- `error_entry`: the one function that writes an error entry.

Slurm's error numbers are those of <slurm/slurm_errno.h>; they are written
out here so that the HTTP core need not load libslurm, and a unit test checks
each against the installed header (cdef/slurm_errno.h declares them).
"""
from __future__ import annotations

# <slurm/slurm_errno.h>
SLURM_ERROR = -1
EPERM = 1
SLURM_PROTOCOL_AUTHENTICATION_ERROR = 1007
SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR = 1802
SLURM_NO_CHANGE_IN_DATA = 1900
ESLURM_INVALID_PARTITION_NAME = 2000
ESLURM_JOB_SCRIPT_MISSING = 2009
ESLURM_INVALID_JOB_ID = 2017
ESLURM_INVALID_NODE_NAME = 2018
ESLURM_ALREADY_DONE = 2021
ESLURM_NOT_SUPPORTED = 2036
ESLURM_RESERVATION_INVALID = 2053
ESLURM_INVALID_TIME_VALUE = 2054
ESLURM_INVALID_TRES = 2115
ESLURM_ENVIRONMENT_MISSING = 2127
SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT = 5005
ESLURM_AUTH_CRED_INVALID = 6000
ESLURM_AUTH_SKIP = 6008
ESLURM_DB_CONNECTION = 7000
ESLURM_REST_INVALID_QUERY = 9000
ESLURM_REST_FAIL_PARSING = 9001
ESLURM_REST_INVALID_JOBS_DESC = 9002
ESLURM_REST_EMPTY_RESULT = 9003
ESLURM_DATA_PATH_NOT_FOUND = 9200
ESLURM_DATA_CONV_FAILED = 9202
# Slurm 23.02 and later (the v0.0.40+ data parsers); 22.05's strerror does not know them.
ESLURM_DATA_FLAGS_INVALID_TYPE = 9206
ESLURM_DATA_FLAGS_INVALID = 9207
ESLURM_DATA_EXPECTED_LIST = 9208
ESLURM_DATA_EXPECTED_DICT = 9209
NEWER_ERRORS = {
    ESLURM_DATA_FLAGS_INVALID_TYPE: "Data parser expects flags to be a list",
    ESLURM_DATA_FLAGS_INVALID: "Data parser unable to parse invalid flag",
    ESLURM_DATA_EXPECTED_LIST: "Data parser expected a list",
    ESLURM_DATA_EXPECTED_DICT: "Data parser expected a dictionary or object",
}


class HttpError(Exception):
    """An answer with a plain-text body and a status, then the connection closes."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class ApiError(Exception):
    """An answer in the endpoint's own envelope with `status`: its (empty) list
    payload and one error entry for `errno`, or none when errno is 0 (the
    reference answers a malformed update_time with a bare 400 envelope).
    `description` fills the error entry's description; `payload`, when given,
    replaces the empty list payload (e.g. {} for an answer without one).
    `errors`, when given, are ready-made error entries listed first, as is
    (endpoints whose answers carry several errors of different shapes)."""

    def __init__(self, status: int, errno: int = 0, call: str = "", description: str = "",
                 payload: dict | None = None, errors: list | None = None):
        super().__init__(status, errno, call)
        self.status = status
        self.errno = errno
        self.call = call
        self.description = description
        self.payload = payload
        self.errors = errors


class SlurmError(Exception):
    """A libslurm call failed: `errno` is Slurm's error number. `description`
    says what was being done, for the error entry."""

    def __init__(self, errno: int, call: str, description: str = ""):
        from .slurm import strerror
        self.errno = errno
        self.call = call
        self.description = description
        self.strerror = strerror(errno)
        super().__init__(f"{call}: {self.strerror}")


class PropertyError(Exception):
    """A value a property refuses: `entries` are the error objects the
    reference reports for it (possibly none), before its own summary."""

    def __init__(self, *entries: dict):
        super().__init__(entries)
        self.entries = list(entries)


def refused_credentials(errno: int, token: bool = False) -> bool:
    """Slurm refused the credentials the request was sent with (a token
    slurmctld or slurmdbd found forged, expired or unusable): for the
    client, an authentication failure like any other. slurmdbd says so;
    slurmctld closes the connection on a token it refuses, which libslurm
    reports as nothing received (a controller that is down is a connection
    error instead), so with a `token` that counts too."""
    return (errno == SLURM_PROTOCOL_AUTHENTICATION_ERROR
            or ESLURM_AUTH_CRED_INVALID <= errno <= ESLURM_AUTH_SKIP
            or token and errno in (SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR,
                                   SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT))


# v0.0.40 and later: the HTTP status of an answer whose first error is
# `errno` (the reference's operations.c; any other error is a 500).
_STATUS_40 = {
    ESLURM_REST_INVALID_QUERY: 422, ESLURM_REST_FAIL_PARSING: 400,
    ESLURM_REST_INVALID_JOBS_DESC: 400, 9204: 415,  # ESLURM_DATA_UNKNOWN_MIME_TYPE
    ESLURM_INVALID_JOB_ID: 404,
    **dict.fromkeys((1001, 1002, 1003, 1004,  # SLURM_COMMUNICATIONS_*_ERROR
                     1800, 1801, 1802, 1803,  # SLURMCTLD_COMMUNICATIONS_*_ERROR
                     5003,  # ESLURM_PROTOCOL_INCOMPLETE_PACKET
                     SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT, ESLURM_DB_CONNECTION), 502),
    5004: 504,  # SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT
    SLURM_PROTOCOL_AUTHENTICATION_ERROR: 511,
    SLURM_NO_CHANGE_IN_DATA: 304,
}


def status_40(errno: int) -> int:
    """The HTTP status of a v0.0.40+ answer whose first error is `errno` (0: 200)."""
    if not errno or errno == ESLURM_REST_EMPTY_RESULT:
        return 200
    return _STATUS_40.get(errno, 500)


def error_entry(style: str, errno: int, message: str, description: str = "",
                source: str = "") -> dict:
    """One error object in the shape the endpoint's `style` calls for: the
    reference writes `error_number` (jobs, diag), `errno` (nodes, partitions,
    reservations), `error_code` (submission) or the slurmdb shape."""
    if style == "slurmdb":  # /slurmdb: description and source only when known
        entry = {"description": description} if description else {}
        entry.update(error_number=errno, error=message)
        if source:
            entry["source"] = source
        return entry
    if style == "error_number":
        return {"description": description, "error_number": errno, "error": message,
                "source": source}
    return {"error": message, style: errno}
