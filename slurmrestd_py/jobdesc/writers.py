"""Writers: one per job property, each reading its JSON value as the
reference's option layer does (values), validating it as sbatch's option
parser does (sbatch_syntax) and recording it in a Spec; a value refused is a
PropertyError with the reference's entries. The factories (`text`,
`int_attr`, ...) make the writers that differ only in the field they fill."""
from __future__ import annotations

import json
import os
import re

from .. import convert
from ..errors import ESLURM_DATA_CONV_FAILED, SLURM_ERROR, PropertyError
from ..slurm import INFINITE, INFINITE16, NO_VAL, NO_VAL16, NO_VAL64, ffi, lib
from .job_desc import NICE_OFFSET, OPEN_MODE_APPEND, OPEN_MODE_TRUNCATE, Spec
from .sbatch_syntax import (GPU_BIND, GPU_FREQ_TOKEN, INT_MAX, INT_MIN, cpu_freq, gres_prepend,
                            parse_mail_type, parse_time, profile_from_string, sig_name2num,
                            signal_opts, str_to_mbytes, strtol, time_str2mins,
                            time_str2secs, verify_dist_type, verify_node_count)
from ..errors import (ESLURM_DATA_EXPECTED_LIST, ESLURM_DATA_FLAGS_INVALID,
                      ESLURM_DATA_FLAGS_INVALID_TYPE)
from .values import (as_bool, as_int, as_str, boolean, data_error, data_type, integer,
                     no_val_number, parser_error, string)

# <slurm/slurm.h>
CORE_SPEC_THREAD = 0x8000
KILL_INV_DEP, NO_KILL_INV_DEP = 1 << 0, 1 << 1
GRES_ENFORCE_BIND, GRES_DISABLE_BIND = 1 << 4, 1 << 19
SPREAD_JOB, USE_MIN_NODES = 1 << 8, 1 << 9
JOB_SHARED_NONE, JOB_SHARED_OK, JOB_SHARED_USER, JOB_SHARED_MCS = 0, 1, 2, 3


def text(attr: str, none_path: bool = False):
    """A string stored as given ("none" -> /dev/null for standard streams)."""
    def write(spec: Spec, v):
        s = string(v)
        if none_path and s.lower() == "none":
            s = "/dev/null"
        spec.text[attr] = s
    return write


def attr_text(attr: str):
    """A string kept in the Spec's `attr`, where job_desc() reads it."""
    def write(spec: Spec, v):
        setattr(spec, attr, string(v))
    return write


def int_attr(attr: str, low: int = INT_MIN + 1, high: int = INT_MAX - 1):
    """An int option: refused at or beyond C int's range, or beyond
    [low, high] when its job_desc_msg_t field is narrower and not masked."""
    def write(spec: Spec, v):
        n = integer(v)
        if n > high:
            raise data_error("Integer too large")
        if n < low:
            raise data_error("Integer too small")
        setattr(spec, attr, n)
    return write


def flag(bit: int):
    """A job flag, set by the key's presence whatever its value."""
    def write(spec: Spec, v):
        spec.job_flags |= bit
    return write


def mbytes(attr: str, message: str):
    """A size in megabytes ("<n>[K|M|G|T]"); refused with `message`."""
    def write(spec: Spec, v):
        s = string(v, message + " string")
        n = str_to_mbytes(s)
        setattr(spec, attr, n)
        if n == NO_VAL64:
            raise data_error(message)
    return write


def duration(attr: str):
    """Minutes in sbatch's time syntax (0 is unlimited)."""
    def write(spec: Spec, v):
        minutes = time_str2mins(string(v))
        if minutes == NO_VAL:
            raise data_error("Invalid time specification")
        setattr(spec, attr, INFINITE if minutes == 0 else minutes)
    return write


def date(attr: str, message: str, code: int):
    """A time in sbatch's --begin syntax; refused with `message` and `code`."""
    def write(spec: Spec, v):
        t = parse_time(string(v))
        setattr(spec, attr, t)
        if not t:
            raise data_error(message, code)
    return write


def parsed(attr: str, parse, message: str):
    """The text as `parse` reads it (None: refused with `message`)."""
    def write(spec: Spec, v):
        value = parse(string(v))
        if value is None:
            raise data_error(message)
        setattr(spec, attr, value)
    return write


def w_argv(spec: Spec, v):
    if not isinstance(v, list):
        raise PropertyError()
    spec.argv = [string(x) for x in v]


def w_chdir(spec: Spec, v):
    try:
        s = as_str(v)
    except ValueError:
        return  # the reference reports the failure yet carries on
    spec.chdir = s if s.startswith("/") else os.path.join(os.getcwd(), s)


def w_core_spec(spec: Spec, v):
    n = integer(v, "Unable to read int")
    if n < 0:
        # The reference lists this error but accepts the submission.
        spec.warnings.append({"error": "Invalid core specification", "error_code": 0})
        return
    spec.core_spec = n & 0xFFFF


def w_thread_spec(spec: Spec, v):
    n = integer(v, "Unable to read integer")
    if n >= CORE_SPEC_THREAD:
        raise data_error("core_spec is too large")
    if n <= 0:
        raise data_error("core_spec must be >0")
    spec.core_spec = n | CORE_SPEC_THREAD


w_cpu_freq = parsed("cpu_freq", cpu_freq, "Unable to parse CPU frequency")


def w_cpus_per_task(spec: Spec, v):
    n = integer(v)
    if n > convert.UINT16[1]:  # a uint16_t in job_desc_msg_t
        raise data_error("Integer too large")
    if n < 1:
        raise data_error("cpus per task much be greater than 0")
    spec.cpus_per_task, spec.cpus_set = n, True


def w_delay_boot(spec: Spec, v):
    secs = time_str2secs(string(v))
    spec.delay_boot = secs
    if secs == NO_VAL:
        raise data_error("Invalid delay boot specification")


def w_distribution(spec: Spec, v):
    dist, plane = verify_dist_type(string(v))
    if dist == -1:
        raise data_error("Invalid distribution")
    spec.distribution, spec.plane_size = dist, plane


def w_environment(spec: Spec, v):
    if not isinstance(v, dict):
        raise data_error("environment must be a dictionary")
    env: list[str] = []
    for key, value in v.items():
        try:
            env.append(f"{key}={as_str(value)}")
        except ValueError:
            raise data_error("failure parsing environment") from None
        convert.cstring(env[-1], "environment")
    spec.environment = env


def w_exclusive(spec: Spec, v):
    s = string(v).lower()
    shared = {"exclusive": JOB_SHARED_NONE, "oversubscribe": JOB_SHARED_OK,
              "user": JOB_SHARED_USER, "mcs": JOB_SHARED_MCS}.get(s)
    if shared is None:
        raise data_error("Invalid exclusive specification")
    spec.shared = shared


def w_get_user_env(spec: Spec, v):
    if v is None:
        spec.get_user_env_time = 0
        return
    value, rest = strtol(string(v))
    spec.get_user_env_time = value or 0
    if rest and rest[0] not in "sSlL":
        raise data_error("Invalid get user environment specification")


def w_gpu_bind(spec: Spec, v):
    s = string(v)
    if not GPU_BIND.match(s):
        raise data_error("Invalid --gpu-bind argument")
    spec.gpu_bind = s


def w_gpu_freq(spec: Spec, v):
    s = string(v)
    if not s or not all(GPU_FREQ_TOKEN.match(t) for t in s.split(",")):
        raise data_error("Invalid --gpu-freq argument")
    spec.gpu_freq = s


def w_gres(spec: Spec, v):
    s = string(v)
    if s.lower() in ("help", "list"):
        raise data_error('GRES "help" not supported')
    spec.gres = s if s.lower() == "none" else gres_prepend(s)


def w_gres_flags(spec: Spec, v):
    s = string(v).lower()
    spec.job_flags &= ~(GRES_DISABLE_BIND | GRES_ENFORCE_BIND)
    if s == "disable-binding":
        spec.job_flags |= GRES_DISABLE_BIND
    elif s == "enforce-binding":
        spec.job_flags |= GRES_ENFORCE_BIND
    else:
        raise data_error("Invalid GRES flags")


def w_hold(spec: Spec, v):
    spec.hold = boolean(v)


def w_kill_on_invalid_dep(spec: Spec, v):
    try:
        kill = as_bool(v)
    except ValueError:
        raise data_error("Unable to read boolean", ESLURM_DATA_CONV_FAILED) from None
    spec.job_flags |= KILL_INV_DEP if kill else NO_KILL_INV_DEP


def w_mail_type(spec: Spec, v):
    spec.mail_type |= parse_mail_type(string(v))
    spec.mail_type_set = True
    if spec.mail_type == INFINITE16:
        raise data_error("Invalid mail type specification")


def w_mem_bind(spec: Spec, v):
    s = string(v)
    if "help" in s.lower():
        raise data_error("memory binding help not supported")
    out = ffi.new("char **")
    flags = ffi.new("uint16_t *")
    rc = lib.slurm_verify_mem_bind(s.encode(), out, flags)
    bound = ffi.string(out[0]).decode() if out[0] != ffi.NULL else None
    if out[0] != ffi.NULL:
        lib.slurm_xfree(ffi.cast("void **", out))
    if rc:
        raise data_error("Invalid memory binding specification", rc)
    spec.mem_bind, spec.mem_bind_type = bound, flags[0]


def w_name(spec: Spec, v):
    spec.job_name = string(v)
    spec.name_set = True


def w_nice(spec: Spec, v):
    if v is None:
        spec.nice = 100
        return
    n = integer(v)
    if abs(n) >= NICE_OFFSET - 3:
        raise data_error("Nice too large")
    spec.nice = n


def w_no_kill(spec: Spec, v):
    if v is None:
        spec.no_kill = True
        return
    s = string(v).lower()
    if s == "set":
        spec.no_kill = True
    elif s in ("off", "no"):
        spec.no_kill = False
    else:
        raise data_error("Invalid no kill specification")


def w_nodes(spec: Spec, v):
    if isinstance(v, list):
        if len(v) != 2:
            raise data_error("Invalid node count list size")
        counts = []
        for x in v:
            try:
                counts.append(as_int(x))
            except ValueError:
                raise PropertyError(
                    {"error": "Invalid node count", "error_code": ESLURM_DATA_CONV_FAILED},
                    {"error": "Invalid node count specification", "error_code": SLURM_ERROR},
                ) from None
        # As the reference: the pair sets the counts but not "nodes given".
        spec.min_nodes, spec.max_nodes = counts[0] & 0xFFFFFFFF, counts[1] & 0xFFFFFFFF
        return
    counts = verify_node_count(string(v))
    if counts is None:
        raise data_error("Invalid node count string")
    spec.min_nodes, spec.max_nodes = counts
    spec.nodes_set = True


def w_ntasks(spec: Spec, v):
    n = integer(v)
    if n >= INT_MAX:
        raise data_error("ntasks too large")
    if n <= 0:
        raise data_error("ntasks too small")
    spec.ntasks, spec.ntasks_set = n, True


def w_open_mode(spec: Spec, v):
    s = string(v)
    if s[:1] in ("a", "A"):
        spec.open_mode = OPEN_MODE_APPEND
    elif s[:1] in ("t", "T"):
        spec.open_mode = OPEN_MODE_TRUNCATE
    else:
        raise data_error("Invalid open mode specification")


def w_oversubscribe(spec: Spec, v):
    spec.shared = JOB_SHARED_OK


def w_priority(spec: Spec, v):
    try:
        n = as_int(v)
    except ValueError:
        s = string(v)
        if s.upper() != "TOP":
            raise data_error("Invalid priority") from None
        spec.priority = NO_VAL - 1
        return
    if n >= NO_VAL:
        raise data_error("Priority too large")
    if n <= 0:
        raise data_error("Priority must be >0")
    spec.priority = n


def w_profile(spec: Spec, v):
    spec.profile = profile_from_string(string(v))


def w_requeue(spec: Spec, v):
    # The reference sets requeue whatever the value; false means false here.
    spec.requeue = 1 if boolean(v) else 0


def w_no_requeue(spec: Spec, v):
    spec.requeue = 0


w_signal = parsed("signal", signal_opts, "Invalid SIGNAL specification")


def w_umask(spec: Spec, v):
    m = re.match(r"\s*([+-]?[0-7]+)", string(v))
    if not m:
        raise data_error("Invalid octal umask")
    n = int(m.group(1), 8)
    if n < 0:
        raise data_error("umask too small")
    if n > 0o7777:
        raise data_error("umask too large")
    # Accepted but, as in the reference, not passed to the job.


def w_wait_all_nodes(spec: Spec, v):
    n = integer(v)
    if n > 1:
        raise data_error("Wait all nodes too large")
    if n < 0:
        raise data_error("Wait all nodes too small")
    spec.wait_all_nodes = n


def w_accepted(spec: Spec, v):
    """Accepted and, as in the reference, without effect on the job."""


def w_stored_text(spec: Spec, v):
    string(v)


# ---------------------------------------------------------------------------
# v0.0.40 and later: number objects, flag lists, string lists, plain members

def number(attr: str, width: int = 32, member: bool = False):
    """A number or {"set", "infinite", "number"} object (values.no_val_number)
    into the Spec's `attr` (unset leaves its default), or, with `member`,
    the job_desc_msg_t member `attr`, unset (NO_VAL) included as the
    reference writes it (a `priority` unset after `hold` releases the job)."""
    def write(spec: Spec, v):
        n = no_val_number(v, width, spec.quoted)
        if member:
            spec.numbers[attr] = n
        elif n != (1 << width) - 2:
            setattr(spec, attr, n)
    return write


def member_int(attr: str, low: int = INT_MIN, high: int = (1 << 32) - 1):
    """An integer stored in the job_desc_msg_t member `attr`."""
    def write(spec: Spec, v):
        n = integer(v)
        if not low <= n <= high:
            raise data_error("Integer too large" if n > high else "Integer too small")
        spec.numbers[attr] = n
    return write


def member_bool(attr: str, true: int = 1, false: int = 0):
    """A boolean stored in the job_desc_msg_t member `attr`."""
    def write(spec: Spec, v):
        spec.numbers[attr] = true if boolean(v) else false
    return write


def flag_names(v) -> list[str]:
    """A list of flag names (a single name accepted as one)."""
    if isinstance(v, str):
        return [v]
    if not isinstance(v, list):
        raise parser_error(ESLURM_DATA_FLAGS_INVALID_TYPE,
                           f"Expected a list of flags but got {type(v).__name__}")
    return [string(x) for x in v]


def flags(table: dict[str, int], store):
    """Flag names (case-insensitive) OR'd from `table` and given to `store(spec, bits)`;
    a name 22.05 has no bit for counts 0."""
    upper = {k.upper(): bit for k, bit in table.items()}

    def write(spec: Spec, v):
        bits = 0
        for name in flag_names(v):
            bit = upper.get(name.upper())
            if bit is None:
                raise parser_error(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{name}"')
            bits |= bit
        store(spec, bits)
    return write


def text_list(attr: str, target: str = "text"):
    """A list of strings (or one comma-separated string) joined by commas,
    into the Spec's text member `attr` (or the Spec attribute, `target="attr"`)."""
    def write(spec: Spec, v):
        items = [v] if isinstance(v, str) else v
        if not isinstance(items, list):
            raise data_error("Expected a list", ESLURM_DATA_CONV_FAILED)
        joined = ",".join(string(x) for x in items)
        if target == "attr":
            setattr(spec, attr, joined)
        else:
            spec.text[attr] = joined
    return write


def w_hold_priority(spec: Spec, v):
    """Hold (priority 0) or release: the job's priority, so that a `priority`
    read after it (the reference's order) overrides it, as in the reference."""
    spec.numbers["priority"] = 0 if boolean(v) else INFINITE


def string_list(v, quoted: bool = False) -> list[str]:
    """A list of strings, as the reference's STRING_ARRAY parser reads one
    (`quoted`: v0.0.41 and later show the value refused, v0.0.40 its type)."""
    if not isinstance(v, list):
        raise parser_error(ESLURM_DATA_EXPECTED_LIST, "expected a list of strings but got "
                           + (json.dumps(v, separators=(",", ":")) if quoted
                              else data_type(v)))
    items = [string(x) for x in v]
    for item in items:
        convert.cstring(item, "string")
    return items


def w_environment_list(spec: Spec, v):
    spec.environment = string_list(v, spec.quoted)


def w_argv_list(spec: Spec, v):
    spec.argv = string_list(v, spec.quoted)


def w_script(spec: Spec, v):
    spec.script = string(v)


def w_kill_on_node_fail(spec: Spec, v):
    spec.numbers["kill_on_node_fail"] = 1 if boolean(v) else 0


def w_min_nodes(spec: Spec, v):
    spec.min_nodes, spec.nodes_set = integer(v) & 0xFFFFFFFF, True


def w_max_nodes(spec: Spec, v):
    spec.max_nodes, spec.nodes_set = integer(v) & 0xFFFFFFFF, True


def w_warn_signal(spec: Spec, v):
    s = string(v)
    try:
        sig = int(s)
    except ValueError:
        sig = sig_name2num(s)
    if sig <= 0:
        raise data_error("Invalid signal")
    spec.signal = (sig, spec.signal[1] or 60, spec.signal[2])


def _warn_time(spec: Spec, n: int):
    spec.signal = (spec.signal[0], n & 0xFFFF, spec.signal[2])


def w_warn_delay(spec: Spec, v):
    n = no_val_number(v, 16, spec.quoted)
    if n != NO_VAL16:
        _warn_time(spec, n)


def _set_bitflags(spec: Spec, bits: int):
    spec.job_flags |= bits


def _set_mail(spec: Spec, bits: int):
    spec.mail_type, spec.mail_type_set = bits, True


def _set_open_mode(spec: Spec, bits: int):
    spec.open_mode = bits


def _set_profile(spec: Spec, bits: int):
    spec.profile = bits


def _set_shared(spec: Spec, value: int):
    spec.shared = value


def _set_warn_flags(spec: Spec, bits: int):
    spec.signal = (spec.signal[0], spec.signal[1], bits)


# 24.11's flag names and the bits 22.05 gives them (<slurm/slurm.h>).
JOB_FLAG_BITS = {
    "KILL_INVALID_DEPENDENCY": KILL_INV_DEP, "NO_KILL_INVALID_DEPENDENCY": NO_KILL_INV_DEP,
    "HAS_STATE_DIRECTORY": 1 << 2, "TESTING_BACKFILL": 1 << 3,
    "GRES_BINDING_ENFORCED": GRES_ENFORCE_BIND, "TEST_NOW_ONLY": 1 << 5,
    "SEND_JOB_ENVIRONMENT": 1 << 6, "SPREAD_JOB": SPREAD_JOB,
    "PREFER_MINIMUM_NODE_COUNT": USE_MIN_NODES, "JOB_KILL_HURRY": 1 << 10,
    "SKIP_TRES_STRING_ACCOUNTING": 1 << 11, "SIBLING_CLUSTER_UPDATE_ONLY": 1 << 12,
    "HETEROGENEOUS_JOB": 1 << 13, "EXACT_TASK_COUNT_REQUESTED": 1 << 14,
    "EXACT_CPU_COUNT_REQUESTED": 1 << 15, "TESTING_WHOLE_NODE_BACKFILL": 1 << 16,
    "TOP_PRIORITY_JOB": 1 << 17, "ACCRUE_COUNT_CLEARED": 1 << 18,
    "GRES_BINDING_DISABLED": GRES_DISABLE_BIND, "JOB_WAS_RUNNING": 1 << 20,
    "JOB_ACCRUE_TIME_RESET": 1 << 21, "CRON_JOB": 1 << 22, "EXACT_MEMORY_REQUESTED": 1 << 23,
    "USING_DEFAULT_ACCOUNT": 1 << 25, "USING_DEFAULT_PARTITION": 1 << 26,
    "USING_DEFAULT_QOS": 1 << 27, "USING_DEFAULT_WCKEY": 0, "DEPENDENT": 0, "MAGNETIC": 0,
    "PARTITION_ASSIGNED": 0, "BACKFILL_ATTEMPTED": 0, "SCHEDULING_ATTEMPTED": 0,
    "SAVE_BATCH_SCRIPT": 0, "STEPMGR_ENABLED": 0, "GRES_ONE_TASK_PER_SHARING": 0,
    "GRES_MULTIPLE_TASKS_PER_SHARING": 0, "GRES_ALLOW_TASK_SHARING": 0,
}
MAIL_BITS = {"BEGIN": 1 << 0, "END": 1 << 1, "FAIL": 1 << 2, "REQUEUE": 1 << 3,
             "TIME=100%": 1 << 4, "TIME=90%": 1 << 5, "TIME=80%": 1 << 6, "TIME=50%": 1 << 7,
             "STAGE_OUT": 1 << 8, "ARRAY_TASKS": 1 << 9, "INVALID_DEPENDENCY": 1 << 10}
OPEN_MODES = {"APPEND": OPEN_MODE_APPEND, "TRUNCATE": OPEN_MODE_TRUNCATE}
PROFILES = {"NOT_SET": 0, "NONE": 1, "ENERGY": 2, "TASK": 4, "LUSTRE": 8, "NETWORK": 16}
SHARED = {"none": JOB_SHARED_NONE, "oversubscribe": JOB_SHARED_OK, "user": JOB_SHARED_USER,
          "mcs": JOB_SHARED_MCS, "topo": 0}
EXCLUSIVE = {"true": JOB_SHARED_NONE, "false": JOB_SHARED_OK, "user": JOB_SHARED_USER,
             "mcs": JOB_SHARED_MCS, "topo": 0}
KILL_FLAG_BITS = {"BATCH_JOB": 1 << 0, "ARRAY_TASK": 1 << 1, "FULL_STEPS_ONLY": 1 << 2,
                  "FULL_JOB": 1 << 3, "FEDERATION_REQUEUE": 1 << 4, "HURRY": 1 << 5,
                  "OUT_OF_MEMORY": 1 << 6, "NO_SIBLING_JOBS": 1 << 7,
                  "RESERVATION_JOB": 1 << 8, "NO_CRON_JOBS": 0, "VERBOSE": 0,
                  "CRON_JOBS": 0, "WARNING_SENT": 1 << 15}
X11_BITS = {"FORWARD_ALL_NODES": 1, "BATCH_NODE": 2, "FIRST_NODE": 4, "LAST_NODE": 8}

w_job_flags = flags(JOB_FLAG_BITS, _set_bitflags)
w_mail_flags = flags(MAIL_BITS, _set_mail)
w_open_mode_flags = flags(OPEN_MODES, _set_open_mode)
w_profile_flags = flags(PROFILES, _set_profile)
w_shared_flags = flags(SHARED, _set_shared)
w_exclusive_flags = flags(EXCLUSIVE, _set_shared)
w_warn_flags = flags(KILL_FLAG_BITS, _set_warn_flags)
w_x11_flags = flags(X11_BITS, lambda spec, bits: spec.numbers.__setitem__("x11", bits))
