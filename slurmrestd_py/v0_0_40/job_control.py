"""POST /slurm/v0.0.40/job/submit, POST and DELETE job/{job_id}, DELETE jobs/.

v0.0.40's job_desc_msg is v0.0.38's job properties (PROPERTIES) with the
aliases and sbatch-style keys dropped, the numbers that may be unset or
infinite read as number objects ("number or {set, infinite, number}"),
sbatch's lists (mail types, open mode, profile, exclusive) as flag lists,
the environment as a list, and the job_desc_msg_t members 24.11 exposes
added. How they are parsed and sent is jobdesc.control_40's."""
from __future__ import annotations

from ..envelope import response_40
from ..jobdesc import control_40
from ..jobdesc.writers import (w_accepted, EXCLUSIVE, JOB_FLAG_BITS, KILL_FLAG_BITS,
                               MAIL_BITS, OPEN_MODES, PROFILES, SHARED, X11_BITS,
                               member_bool, member_int, number, text, text_list, w_argv_list,
                               w_environment_list, w_exclusive_flags, w_job_flags,
                               w_kill_on_node_fail, w_mail_flags, w_max_nodes, w_min_nodes,
                               w_open_mode_flags, w_profile_flags, w_script, w_shared_flags,
                               w_warn_delay, w_warn_flags, w_warn_signal, w_x11_flags,
                               w_hold_priority)
from ..jobdesc.values import boolean, integer
from ..kinds import NUMBER_OBJECTS, U16_OBJ, U32, U32_OBJ, U64_OBJ
from ..routes import Operation, Param
from ..schema import ArrayOf, Bool, Enum, Field, Inline, Int, Obj, Scalar, Str
from ..v0_0_38 import job_control as v38

INT32 = Scalar("integer", "int32")
STRINGS = ArrayOf("string_array", Str)
CSV = ArrayOf("csv_string", Str)


def flag_list(name: str, names) -> ArrayOf:
    return ArrayOf(name, Enum(*names))


def P(key: str, type, description: str, write) -> Field:  # noqa: N802
    return Field(key, type, description=description, write=write)


def _attr(attr: str, read=integer):
    def write(spec, v):
        setattr(spec, attr, read(v))
    return write


def _oversubscribe(spec, v):
    spec.shared = 1 if boolean(v) else 0


# v0.0.38's keys that v0.0.40 no longer has (aliases, sbatch-only options).
DROPPED = """constraint cpu_binding_hint cpus_per_gpu cwd exclude_nodes get_user_environment
gpu_binding gpu_frequency gpus gpus_per_node gpus_per_socket gpus_per_task gres gres_flags
job_name kill_on_invalid_dependency license memory_per_gpu no_kill no_requeue node_list
nodelist ntasks ntasks_per_core ntasks_per_gpu ntasks_per_node ntasks_per_socket signal
spread_job test_only umask""".split()

# Kept keys whose JSON form changed.
RETYPED = {f.key: f for f in [
    P("argv", STRINGS, "Arguments to the script", w_argv_list),
    P("begin_time", U64_OBJ, "Defer the allocation of the job until the specified time "
      "(UNIX timestamp)", number("begin", 64)),
    P("deadline", Int, "Latest time that the job may start (UNIX timestamp)",
      _attr("deadline")),
    P("delay_boot", INT32, "Number of seconds after job eligible start that nodes will be "
      "rebooted to satisfy feature specification", _attr("delay_boot")),
    P("environment", STRINGS, "Environment variables to be set for the job",
      w_environment_list),
    P("mail_type", flag_list("job_mail_flags", MAIL_BITS), "Mail event type(s)",
      w_mail_flags),
    P("open_mode", flag_list("open_mode", OPEN_MODES),
      "Open mode used for stdout and stderr files", w_open_mode_flags),
    P("hold", Bool, "Hold (true) or release (false) job", w_hold_priority),
    P("priority", U32_OBJ, "Request specific job priority", number("priority", member=True)),
    P("profile", flag_list("acct_gather_profile", PROFILES),
      "Profile used by the acct_gather_profile plugin", w_profile_flags),
    P("exclusive", flag_list("job_exclusive_flags", [k for k in EXCLUSIVE if k != "topo"]),
      "", w_exclusive_flags),
    P("oversubscribe", Bool, "", _oversubscribe),
    P("time_limit", U32_OBJ, "Maximum run time in minutes", number("time_limit")),
    P("time_minimum", U32_OBJ, "Minimum run time in minutes", number("time_min")),
    P("wait_all_nodes", Bool, "If true, wait to start until after all nodes have booted",
      _attr("wait_all_nodes", lambda v: int(boolean(v)))),
    P("nodes", Str, "Node count range specification (e.g. 1-15:4)",
      v38.PROPERTIES.writers()["nodes"].write),
    P("minimum_nodes", INT32, "Minimum node count", w_min_nodes),
    P("memory_per_cpu", U64_OBJ, "Minimum memory in megabytes per allocated CPU",
      number("mem_per_cpu", 64)),
    P("memory_per_node", U64_OBJ, "Minimum memory in megabytes per allocated node",
      number("mem", 64)),
    P("temporary_disk_per_node", INT32, "Minimum tmp disk space required per node",
      _attr("tmp_disk")),
]}

WARN_FLAGS = flag_list("warn_flags", KILL_FLAG_BITS)
# scrontab entries and resource limits: 22.05's job_desc_msg_t has neither to set.
CRON_ENTRY = Obj("cron_entry", [
    Field("flags", flag_list("cron_entry_flags", (
        "WILD_MINUTE", "WILD_HOUR", "WILD_DAY_OF_MONTH", "WILD_MONTH", "WILD_DAY_OF_WEEK")),
        description="Flags"),
    *(Field(k, Str, description=d) for k, d in (
        ("minute", "Ranged string specifying eligible minute values (e.g. 0-10,50)"),
        ("hour", "Ranged string specifying eligible hour values (e.g. 0-5,23)"),
        ("day_of_month", "Ranged string specifying eligible day of month values (e.g. "
         "0-10,29)"),
        ("month", "Ranged string specifying eligible month values (e.g. 0-5,12)"),
        ("day_of_week", "Ranged string specifying eligible day of week values (e.g.0-3,7)"),
        ("specification", "Time specification (* means valid for all allowed values) - "
         "minute hour day_of_month month day_of_week"),
        ("command", "Command to run"))),
    Field("line/start", INT32, description="Start of this entry in file"),
    Field("line/end", INT32, description="End of this entry in file"),
])
RLIMITS = Inline([Field(k, U64_OBJ, description=d) for k, d in (
    ("cpu", "Per-process CPU limit, in seconds."),
    ("fsize", "Largest file that can be created, in bytes."),
    ("data", "Maximum size of data segment, in bytes. "),
    ("stack", "Maximum size of stack segment, in bytes."),
    ("core", "Largest core file that can be created, in bytes."),
    ("rss", "Largest resident set size, in bytes."),
    ("nproc", "Number of processes."),
    ("nofile", "Number of open files."),
    ("memlock", "Locked-in-memory address space"),
    ("as", "Address space limit."))])

# What 22.05's job_desc_msg_t has no member for (or slurmctld sets itself)
# is accepted and has no effect: see README.
ADDED = [
    P("admin_comment", Str, "Arbitrary comment made by administrator", text("admin_comment")),
    P("allocation_node_list", Str, "Local node making the resource allocation",
      text("alloc_node")),
    P("allocation_node_port", INT32, "Port to send allocation confirmation to",
      member_int("alloc_resp_port", 0, 0xFFFF)),
    P("flags", flag_list("job_flags", [k for k in JOB_FLAG_BITS if k not in (
        "SAVE_BATCH_SCRIPT", "GRES_ONE_TASK_PER_SHARING", "GRES_MULTIPLE_TASKS_PER_SHARING",
        "GRES_ALLOW_TASK_SHARING")]), "Job flags", w_job_flags),
    P("clusters", Str, "Clusters that a federated job can run on", text("clusters")),
    P("contiguous", Bool, "True if job requires contiguous nodes", member_bool("contiguous")),
    P("container_id", Str, "OCI container ID", w_accepted),
    P("cpu_binding", Str, "Method for binding tasks to allocated CPUs", text("cpu_bind")),
    P("cpu_binding_flags", flag_list("cpu_binding_flags", (
        "CPU_BIND_TO_THREADS", "CPU_BIND_TO_CORES", "CPU_BIND_TO_SOCKETS",
        "CPU_BIND_TO_LDOMS", "CPU_BIND_NONE", "CPU_BIND_RANK", "CPU_BIND_MAP",
        "CPU_BIND_MASK", "CPU_BIND_LDRANK", "CPU_BIND_LDMAP", "CPU_BIND_LDMASK", "VERBOSE",
        "CPU_BIND_ONE_THREAD_PER_CORE")), "Flags for CPU binding", w_accepted),
    P("cpus_per_tres", Str, "Semicolon delimited list of TRES=# values values indicating how "
      "many CPUs should be allocated for each specified TRES", text("cpus_per_tres")),
    P("crontab", CRON_ENTRY, "Specification for scrontab job", w_accepted),
    P("end_time", Int, "Expected end time (UNIX timestamp)", member_int("end_time")),
    P("rlimits", RLIMITS, "", w_accepted),
    P("excluded_nodes", CSV, "Comma separated list of nodes that may not be used",
      text_list("exc_nodes")),
    P("extra", Str, "Arbitrary string used for node filtering if extra constraints are "
      "enabled", text("extra")),
    P("group_id", Str, "Group ID of the user that owns the job", w_accepted),
    P("hetjob_group", INT32, "Unique sequence number applied to this component of the "
      "heterogeneous job", w_accepted),
    P("immediate", Bool, "If true, exit if resources are not available within the time "
      "period specified", member_bool("immediate")),
    P("job_id", INT32, "Job ID", w_accepted),
    P("kill_on_node_fail", Bool, "If true, kill job on node failure", w_kill_on_node_fail),
    P("memory_binding_type", flag_list("memory_binding_type", (
        "NONE", "RANK", "MAP", "MASK", "LOCAL", "VERBOSE", "SORT", "PREFER")),
      "Method for binding tasks to memory", w_accepted),
    P("memory_per_tres", Str, "Semicolon delimited list of TRES=# values indicating how much "
      "memory in megabytes should be allocated for each specified TRES",
      text("mem_per_tres")),
    P("network", Str, "Network specs for job step", text("network")),
    P("reserve_ports", INT32, "Port to send various notification msg to", w_accepted),
    P("overcommit", Bool, "Overcommit resources", member_bool("overcommit")),
    P("distribution_plane_size", INT32, "Plane size specification when distribution "
      "specifies plane", member_int("plane_size", 0, 0xFFFF)),
    P("power_flags", ArrayOf("power_flags", Str), "", w_accepted),
    P("reboot", Bool, "Node reboot requested before start", member_bool("reboot")),
    P("required_nodes", CSV, "Comma separated list of required nodes",
      text_list("nodelist", target="attr")),
    P("script", Str, "Job batch script; only the first component in a HetJob is populated "
      "or honored", w_script),
    P("shared", flag_list("job_shared", [k for k in SHARED if k != "topo"]),
      "How the job can share resources with other jobs, if at all", w_shared_flags),
    P("site_factor", INT32, "Site-specific priority factor", member_int("site_factor")),
    P("spank_environment", STRINGS, "Environment variables for job prolog/epilog scripts as "
      "set by SPANK plugins", w_accepted),
    *(P(k, Str, d, text(k)) for k, d in (
        ("tres_bind", "Task to TRES binding directives"),
        ("tres_freq", "TRES frequency directives"),
        ("tres_per_job", "Comma separated list of TRES=# values to be allocated for every job"),
        ("tres_per_node", "Comma separated list of TRES=# values to be allocated for every "
         "node"),
        ("tres_per_socket", "Comma separated list of TRES=# values to be allocated for every "
         "socket"),
        ("tres_per_task", "Comma separated list of TRES=# values to be allocated for every "
         "task"))),
    P("user_id", Str, "User ID that owns the job", w_accepted),
    P("kill_warning_flags", WARN_FLAGS, "Flags related to job signals", w_warn_flags),
    P("kill_warning_signal", Str, "Signal to send when approaching end time (e.g. \"10\" or "
      "\"USR1\")", w_warn_signal),
    P("kill_warning_delay", U16_OBJ, "Number of seconds before end time to send the warning "
      "signal", w_warn_delay),
    P("minimum_cpus", INT32, "Minimum number of CPUs required", member_int("min_cpus")),
    P("maximum_cpus", INT32, "Maximum number of CPUs required", member_int("max_cpus")),
    P("maximum_nodes", INT32, "Maximum node count", w_max_nodes),
    P("minimum_boards_per_node", INT32, "Boards per node required",
      member_int("boards_per_node", 0, 0xFFFF)),
    P("minimum_sockets_per_board", INT32, "Sockets per board required",
      member_int("sockets_per_board", 0, 0xFFFF)),
    P("tasks_per_board", INT32, "Number of tasks to invoke on each board",
      member_int("ntasks_per_board", 0, 0xFFFF)),
    P("selinux_context", Str, "SELinux context", text("selinux_context")),
    P("required_switches", U32_OBJ, "Maximum number of switches",
      number("req_switch", member=True)),
    P("wait_for_switch", INT32, "Maximum time to wait for switches in seconds",
      member_int("wait4switch")),
    P("x11", flag_list("x11_flags", X11_BITS), "X11 forwarding options", w_x11_flags),
    P("x11_magic_cookie", Str, "Magic cookie for X11 forwarding", text("x11_magic_cookie")),
    P("x11_target_host", Str, "Hostname or UNIX socket if x11_target_port=0",
      text("x11_target")),
    P("x11_target_port", INT32, "TCP port", member_int("x11_target_port", 0, 0xFFFF)),
]


def _int32(f: Field) -> Field:
    """v0.0.38's integer keys are int32 from v0.0.40 on."""
    return Field(f.key, INT32, description=f.description, write=f.write) \
        if f.type is Int else f


# The order of the reference's parser fields: its document lists them so,
# and it reads (and warns about) a body's keys in this order.
ORDER = """account account_gather_frequency admin_comment allocation_node_list allocation_node_port
argv array batch_features begin_time flags burst_buffer clusters cluster_constraint comment
contiguous container container_id cores_per_socket core_specification thread_specification
cpu_binding cpu_binding_flags cpu_frequency cpus_per_tres crontab deadline delay_boot
dependency end_time environment rlimits excluded_nodes extra constraints group_id
hetjob_group immediate job_id kill_on_node_fail licenses mail_type mail_user mcs_label
memory_binding memory_binding_type memory_per_tres name network nice tasks open_mode
reserve_ports overcommit partition distribution_plane_size power_flags prefer hold priority
profile qos reboot required_nodes requeue reservation script shared exclusive oversubscribe
site_factor spank_environment distribution time_limit time_minimum tres_bind tres_freq
tres_per_job tres_per_node tres_per_socket tres_per_task user_id wait_all_nodes
kill_warning_flags kill_warning_signal kill_warning_delay current_working_directory
cpus_per_task minimum_cpus maximum_cpus nodes minimum_nodes maximum_nodes
minimum_boards_per_node minimum_sockets_per_board sockets_per_node threads_per_core
tasks_per_node tasks_per_socket tasks_per_core tasks_per_board ntasks_per_tres
minimum_cpus_per_node memory_per_cpu memory_per_node temporary_disk_per_node selinux_context
required_switches standard_error standard_input standard_output wait_for_switch wckey x11
x11_magic_cookie x11_target_host x11_target_port""".split()

_KEPT = [f for f in v38.PROPERTIES.fields if f.key not in DROPPED]
_DERIVED = v38.PROPERTIES.derive(
    "job_desc_msg", drop=DROPPED,
    replace={f.key: RETYPED.get(f.key) or _int32(f) for f in _KEPT},
    add=[(_KEPT[-1].key, f) for f in reversed(ADDED)], description="",
    dialect=NUMBER_OBJECTS)
JOB_DESC = _DERIVED.rebuilt("job_desc_msg", sorted(_DERIVED.entries,
                                                   key=lambda f: ORDER.index(f.key)),
                            "", [])


# ---- requests and answers

def submit_req(job_desc: Obj) -> Obj:
    return Obj("job_submit_req", [
        Field("script", Str, description="Batch job script"),
        Field("jobs", ArrayOf("job_desc_msg_list", job_desc), description="HetJob description"),
        Field("job", job_desc, description="Job description"),
    ])


SUBMIT_RESULT = Obj("job_submit_response_msg", [
    Field("job_id", INT32, description="New job ID"),
    Field("step_id", Str, description="New job step ID"),
    Field("error_code", INT32, description="Error code"),
    Field("error", Str, description="Error message"),
    Field("job_submit_user_msg", Str, description="Message to user from job_submit plugin"),
])
SUBMIT_FIELDS = [
    Field("job_id", INT32, description="Submitted Job ID"),
    Field("step_id", Str, description="Submitted Step ID"),
    Field("job_submit_user_msg", Str, description="Job submission user message"),
]
SUBMIT_RESPONSE = response_40("openapi_job_submit_response", [
    Field("result", SUBMIT_RESULT, description="Job submission"), *SUBMIT_FIELDS])

ARRAY_RESULT = Obj("job_array_response_msg_entry", [
    Field("job_id", INT32, description="Job ID for updated Job"),
    Field("step_id", Str, description="Step ID for updated Job"),
    Field("error", Str, description="Verbose update status or error"),
    Field("error_code", INT32, description="Verbose update status or error"),
    Field("why", Str, description="Update response message"),
])
POST_RESPONSE = response_40("openapi_job_post_response", [
    Field("results", ArrayOf("job_array_response_array", ARRAY_RESULT),
          description="Job update results"),
    Field("job_id", Str, description="First updated Job ID - Use results instead"),
    Field("step_id", Str, description="First updated Step ID - Use results instead"),
    Field("job_submit_user_msg", Str, description="First updated Job submission user message "
          "- Use results instead"),
])
OPENAPI_RESP = response_40("openapi_resp", [])

KILL_RESULT = Obj("kill_jobs_resp_job", [
    Field("error/string", Str, description="String error encountered signaling job"),
    Field("error/code", INT32, description="Numeric error encountered signaling job"),
    Field("error/message", Str, description="Error message why signaling job failed"),
    Field("step_id", Str, description="Job or Step ID that signaling failed"),
    Field("job_id", U32, description="Job ID that signaling failed"),
    Field("federation/sibling", Str, description="Name of federation sibling (may be empty for "
          "non-federation)"),
], dialect=NUMBER_OBJECTS)
KILL_STATUS = ArrayOf("kill_jobs_resp_msg", KILL_RESULT, "List of jobs signal responses")
KILL_JOBS_RESPONSE = response_40("openapi_kill_jobs_resp", [
    Field("status", KILL_STATUS, description="resultant status of signal request")])


def kill_jobs_msg(warn_flags: ArrayOf) -> Obj:
    from ..v0_0_38.jobs import JOB_STATES
    return Obj("kill_jobs_msg", [
        Field("account", Str, description="Filter jobs to a specific account"),
        Field("flags", warn_flags, description="Filter jobs according to flags"),
        Field("job_name", Str, description="Filter jobs to a specific name"),
        Field("jobs", ArrayOf("kill_jobs_msg_jobs_array", Str), description="List of jobs to "
              "signal"),
        Field("partition", Str, description="Filter jobs to a specific partition"),
        Field("qos", Str, description="Filter jobs to a specific QOS"),
        Field("reservation", Str, description="Filter jobs to a specific reservation"),
        Field("signal", Str, description="Signal to send to jobs"),
        Field("job_state", flag_list("job_state", JOB_STATES), description="Filter jobs to a "
              "specific state"),
        Field("user_id", Str, description="Filter jobs to a specific numeric user id"),
        Field("user_name", Str, description="Filter jobs to a specific user name"),
        Field("wckey", Str, description="Filter jobs to a specific wckey"),
        Field("nodes", ArrayOf("hostlist_string", Str), description="Filter jobs to a set of "
              "nodes"),
    ])


_JOB_ID = Param("job_id", "path", Str, "Job ID", True)


def control_operations(job_desc: Obj, submit_response: Obj = SUBMIT_RESPONSE,
                       post_response: Obj = POST_RESPONSE,
                       kill_response: Obj = OPENAPI_RESP,
                       warn_flags: ArrayOf = WARN_FLAGS,
                       allocate: Obj | None = None, allocate_response: Obj | None = None,
                       rules: control_40.Rules = control_40.V40) -> list[Operation]:
    """The job control operations of v0.0.40 (the defaults) and later."""
    fields = {f.key: f for f in job_desc.fields if f.write is not None}
    result = "result" in {f.key for f in submit_response.fields}
    legacy = "job_id" in {f.key for f in post_response.fields}
    status = "status" in {f.key for f in kill_response.fields}
    kill_msg = kill_jobs_msg(warn_flags)
    kill_fields = {f.key: f for f in kill_msg.fields}
    ops = [
        Operation("POST", "job/submit", "post_job_submit", "submit new job", "slurm",
                  lambda call: control_40.submit(call, fields, result, rules), submit_response,
                  body=submit_req(job_desc)),
        Operation("POST", "job/{job_id}", "post_job", "update job", "slurm",
                  lambda call: control_40.update(call, fields, legacy, rules), post_response,
                  [_JOB_ID], body=job_desc),
        Operation("DELETE", "job/{job_id}", "delete_job", "cancel or signal job", "slurm",
                  lambda call: control_40.cancel(call, status, rules), kill_response, [
                      _JOB_ID, Param("signal", "query", Str, "Signal to send to Job"),
                      Param("flags", "query", Enum(*warn_flags.items.enum),
                            "Signalling flags")]),
        Operation("DELETE", "jobs/", "delete_jobs", "send signal to list of jobs", "slurm",
                  lambda call: control_40.cancel_jobs(call, kill_fields, rules), KILL_JOBS_RESPONSE,
                  body=kill_msg),
    ]
    if allocate is not None:
        ops.insert(1, Operation("POST", "job/allocate", "post_job_allocate",
                                "submit new job allocation without any steps that must be "
                                "signaled to stop", "slurm",
                                lambda call: control_40.allocate(call, fields, rules),
                                allocate_response, body=allocate))
    return ops


def allocate_req(job_desc: Obj) -> Obj:
    return Obj("job_alloc_req", [
        Field("hetjob", ArrayOf("job_desc_msg_list", job_desc), description="HetJob "
              "description"),
        Field("job", job_desc, description="Job description"),
    ])


ALLOCATE_RESPONSE = response_40("openapi_job_alloc_resp", [
    Field("job_id", INT32, description="Submitted Job ID"),
    Field("job_submit_user_msg", Str, description="Job submission user message"),
])

OPERATIONS = control_operations(JOB_DESC)
