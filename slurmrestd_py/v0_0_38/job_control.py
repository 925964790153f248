"""POST /slurm/v0.0.38/job/submit, POST /slurm/v0.0.38/job/{job_id} (update)
and DELETE /slurm/v0.0.38/job/{job_id} (?signal=).

Job properties are declared once, in PROPERTIES: each Field names the JSON
key, its type and description (the OpenAPI request schema comes from them)
and how a value is written (`write`, from jobdesc.writers). What the values
then become, and the handlers, are the same in every version: see
slurmrestd_py.jobdesc.
"""
from __future__ import annotations

from .. import convert
from ..envelope import response_obj
from ..errors import ESLURM_INVALID_TIME_VALUE, SLURM_ERROR
from ..jobdesc.control import Vocabulary, cancel_job, submit_job, update_job
from ..jobdesc.sbatch_syntax import SIGNALS
from ..jobdesc.writers import (SPREAD_JOB, USE_MIN_NODES, attr_text, date, duration, flag,
                               int_attr, mbytes, text, w_accepted, w_argv, w_chdir,
                               w_core_spec, w_cpu_freq, w_cpus_per_task, w_delay_boot,
                               w_distribution, w_environment, w_exclusive, w_get_user_env,
                               w_gpu_bind, w_gpu_freq, w_gres, w_gres_flags, w_hold,
                               w_kill_on_invalid_dep, w_mail_type, w_mem_bind, w_name,
                               w_nice, w_no_kill, w_no_requeue, w_nodes, w_ntasks,
                               w_open_mode, w_oversubscribe, w_priority, w_profile,
                               w_requeue, w_signal, w_stored_text, w_thread_spec, w_umask,
                               w_wait_all_nodes)
from ..routes import Operation, Param
from ..schema import Array, Bool, CText, Enum, Field, Int, Map, Obj, OneOf, Str

# The declaration: keys, JSON types, descriptions and writers
_NUM_OR_TEXT = OneOf(Int, Str)
_TIME = OneOf(Int, Str)


def P(key: str, type, description: str, write) -> Field:  # noqa: N802
    return Field(key, type, description=description, write=write)


def _same_as(key: str) -> str:
    return f"Same as `{key}`."


PROPERTIES = Obj("job_properties", [
    P("account", Str, "Charge resources used by this job to specified account.",
      text("account")),
    P("account_gather_frequency", Str, "Define the job accounting and profiling sampling "
      "intervals.", text("acctg_freq")),
    P("argv", Array(Str), "Arguments to the script.", w_argv),
    P("array", Str, "Submit a job array, multiple jobs to be executed with identical "
      "parameters. The indexes specification identifies what array index values should "
      "be used.", text("array_inx")),
    P("batch_features", Str, "features required for batch script's node",
      text("batch_features")),
    P("begin_time", Str, "Submit the batch script to the Slurm controller immediately, "
      "like normal, but tell the controller to defer the allocation of the job until the "
      "specified time (sbatch --begin syntax, e.g. \"now+1hour\" or "
      "\"2030-01-01T12:00:00\").",
      date("begin", "Unable to parse time", ESLURM_INVALID_TIME_VALUE)),
    P("burst_buffer", Str, "Burst buffer specification.", text("burst_buffer")),
    P("cluster_constraint", Str, "Specifies features that a federated cluster must have to "
      "have a sibling job submitted to it.", text("cluster_features")),
    P("comment", Str, "An arbitrary comment.", text("comment")),
    P("constraint", Str, _same_as("constraints"), text("features")),
    P("constraints", Str, "node features required by job.", text("features")),
    P("container", Str, "absolute path to OCI container bundle", text("container")),
    P("core_specification", Int, "Count of specialized cores per node reserved by the job "
      "for system operations and not used by the application.", w_core_spec),
    P("cores_per_socket", Int, "Restrict node selection to nodes with at least the "
      "specified number of cores per socket.", int_attr("cores_per_socket")),
    P("cpu_binding_hint", Str, "Cpu binding hint (accepted; it does not change the job, "
      "as with the reference).", w_stored_text),
    P("cpu_frequency", Str, "Request that job steps initiated by srun commands inside "
      "this sbatch script be run at some requested frequency if possible, on the CPUs "
      "selected for the step on the compute node(s).", w_cpu_freq),
    P("cpus_per_gpu", Int, "Number of CPUs requested per allocated GPU.",
      int_attr("cpus_per_gpu")),
    P("cpus_per_task", Int, "Advise the Slurm controller that ensuing job steps will "
      "require ncpus number of processors per task.", w_cpus_per_task),
    P("current_working_directory", Str, "Instruct Slurm to connect the batch script's "
      "standard output directly to the file name.", w_chdir),
    P("cwd", Str, _same_as("current_working_directory"), w_chdir),
    P("deadline", Str, "Remove the job if no ending is possible before this deadline "
      "(start > (deadline - time[-min])).",
      date("deadline", "Invalid deadline time", SLURM_ERROR)),
    P("delay_boot", _TIME, "Do not reboot nodes in order to satisfied this job's feature "
      "specification if the job has been eligible to run for less than this time period "
      "(minutes, or a time string).", w_delay_boot),
    P("dependency", Str, "Defer the start of this job until the specified dependencies "
      "have been satisfied completed.", text("dependency")),
    P("distribution", Str, "Specify alternate distribution methods for remote processes.",
      w_distribution),
    P("environment", Map(Str), "Dictionary of environment entries.", w_environment),
    P("exclude_nodes", Str, "Explicitly exclude certain nodes from the resources granted "
      "to the job.", text("exc_nodes")),
    P("exclusive", Enum("exclusive", "oversubscribe", "user", "mcs"), "The job allocation "
      "can not share nodes with other running jobs (or shares them only with the same "
      "user's jobs with \"user\", or by MCS label with \"mcs\").", w_exclusive),
    P("get_user_environment", OneOf(Int, Str), "Load new login environment for user on "
      "job node (seconds to wait, optionally followed by S or L, as sbatch "
      "--get-user-env).", w_get_user_env),
    P("gpu_binding", Str, "Requested binding of tasks to GPU.", w_gpu_bind),
    P("gpu_frequency", Str, "Requested GPU frequency.", w_gpu_freq),
    P("gpus", Str, "GPUs per job.", attr_text("gpus")),
    P("gpus_per_node", Str, "GPUs per node.", attr_text("gpus_per_node")),
    P("gpus_per_socket", Str, "GPUs per socket.", attr_text("gpus_per_socket")),
    P("gpus_per_task", Str, "GPUs per task.", attr_text("gpus_per_task")),
    P("gres", Str, "Specifies a comma delimited list of generic consumable resources.",
      w_gres),
    P("gres_flags", Enum("disable-binding", "enforce-binding"), "Specify generic resource "
      "task binding options.", w_gres_flags),
    P("hold", Bool, "Specify the job is to be submitted in a held state (priority of "
      "zero); false releases a held job.", w_hold),
    P("job_name", Str, _same_as("name"), w_name),
    P("kill_on_invalid_dependency", Bool, "If a job has an invalid dependency, then Slurm "
      "is to terminate it.", w_kill_on_invalid_dep),
    P("license", Str, _same_as("licenses"), text("licenses")),
    P("licenses", Str, "Specification of licenses (or other resources available on all "
      "nodes of the cluster) which must be allocated to this job.", text("licenses")),
    P("mail_type", Str, "Notify user by email when certain event types occur.",
      w_mail_type),
    P("mail_user", Str, "User to receive email notification of state changes as defined "
      "by mail_type.", text("mail_user")),
    P("mcs_label", Str, "This parameter is a group among the groups of the user.",
      text("mcs_label")),
    P("memory_binding", Str, "Bind tasks to memory.", w_mem_bind),
    P("memory_per_cpu", _NUM_OR_TEXT, "Minimum real memory per cpu (MB, or a number with "
      "a K, M, G or T suffix).", mbytes("mem_per_cpu", "Invalid --mem-per-cpu "
                                        "specification")),
    P("memory_per_gpu", _NUM_OR_TEXT, "Minimum memory required per allocated GPU.",
      mbytes("mem_per_gpu", "Invalid --mem-per-gpu specification")),
    P("memory_per_node", _NUM_OR_TEXT, "Minimum real memory per node (MB, or a number "
      "with a K, M, G or T suffix).", mbytes("mem", "Invalid memory specification")),
    P("minimum_cpus_per_node", Int, "Minimum number of CPUs per node.",
      int_attr("pn_min_cpus", high=convert.UINT16[1])),
    P("minimum_nodes", Bool, "If a range of node counts is given, prefer the smaller "
      "count (set by the key's presence).", flag(USE_MIN_NODES)),
    P("name", Str, "Specify a name for the job allocation.", w_name),
    P("nice", Int, "Run the job with an adjusted scheduling priority within Slurm.",
      w_nice),
    P("no_kill", Str, "Do not automatically terminate a job if one of the nodes it has "
      "been allocated fails (\"set\", or \"off\"/\"no\"; null sets it).", w_no_kill),
    P("no_requeue", Bool, "The job is not to be requeued (set by the key's presence).",
      w_no_requeue),
    P("node_list", Str, _same_as("nodelist"), attr_text("nodelist")),
    P("nodelist", Str, "Request a specific list of hosts.", attr_text("nodelist")),
    P("nodes", OneOf(Str, Int, Array(Int)), "Request that a minimum of minnodes nodes and "
      "a maximum node count (\"min-max\", a count, or [min, max]).", w_nodes),
    P("ntasks", Int, _same_as("tasks"), w_ntasks),
    P("ntasks_per_core", Int, _same_as("tasks_per_core"), int_attr("ntasks_per_core")),
    P("ntasks_per_gpu", Int, "Request that there are ntasks tasks invoked for every GPU.",
      int_attr("ntasks_per_gpu", *convert.UINT16)),
    P("ntasks_per_node", Int, _same_as("tasks_per_node"), int_attr("ntasks_per_node")),
    P("ntasks_per_socket", Int, _same_as("tasks_per_socket"),
      int_attr("ntasks_per_socket")),
    P("ntasks_per_tres", Int, "Request that there are ntasks tasks invoked for every "
      "GPU.", int_attr("ntasks_per_tres", *convert.UINT16)),
    P("open_mode", Enum("append", "truncate"), "Open the output and error files using "
      "append or truncate mode as specified.", w_open_mode),
    P("oversubscribe", Bool, "The job allocation can over-subscribe resources with other "
      "running jobs (set by the key's presence).", w_oversubscribe),
    P("partition", Str, "Request a specific partition for the resource allocation.",
      text("partition")),
    P("prefer", Str, "Comma delimited list of features for scheduler to prefer but not a "
      "strict requirement like a constraint.", text("prefer")),
    P("priority", OneOf(Int, Str), "Request a specific job priority (or \"TOP\").",
      w_priority),
    P("profile", Str, "Enables detailed data collection by the acct_gather_profile "
      "plugin (none, all, or energy, task, lustre, network).", w_profile),
    P("qos", Str, "Request a quality of service for the job.", text("qos")),
    P("requeue", Bool, "Specifies that the batch job should be eligible for requeuing "
      "(false: not eligible).", w_requeue),
    P("reservation", Str, "Allocate resources for the job from the named reservation.",
      text("reservation")),
    P("signal", Str, "When a job is within sig_time seconds of its end time, send it the "
      "signal sig_num ([R:]sig_num[@sig_time]).", w_signal),
    P("sockets_per_node", Int, "Restrict node selection to nodes with at least the "
      "specified number of sockets.", int_attr("sockets_per_node")),
    P("spread_job", Bool, "Spread the job allocation over as many nodes as possible "
      "(set by the key's presence).", flag(SPREAD_JOB)),
    P("standard_error", Str, "Instruct Slurm to connect the batch script's standard error "
      "directly to the file name.", text("std_err", none_path=True)),
    P("standard_input", Str, "Instruct Slurm to connect the batch script's standard "
      "input directly to the file name specified.", text("std_in", none_path=True)),
    P("standard_output", Str, "Instruct Slurm to connect the batch script's standard "
      "output directly to the file name.", text("std_out", none_path=True)),
    P("tasks", Int, "Advises the Slurm controller that job steps run within the "
      "allocation will launch a maximum of number tasks and to provide for sufficient "
      "resources.", w_ntasks),
    P("tasks_per_core", Int, "Request the maximum ntasks be invoked on each core.",
      int_attr("ntasks_per_core")),
    P("tasks_per_node", Int, "Request the maximum ntasks be invoked on each node.",
      int_attr("ntasks_per_node")),
    P("tasks_per_socket", Int, "Request the maximum ntasks be invoked on each socket.",
      int_attr("ntasks_per_socket")),
    P("temporary_disk_per_node", _NUM_OR_TEXT, "Minimum amount of temporary disk space "
      "per node (MB, or a number with a K, M, G or T suffix).",
      mbytes("tmp_disk", "Invalid --tmp specification")),
    P("test_only", Bool, "Accepted; as with the reference, the job is submitted.",
      w_accepted),
    P("thread_specification", Int, "Count of specialized threads per node reserved by "
      "the job for system operations and not used by the application.", w_thread_spec),
    P("threads_per_core", Int, "Restrict node selection to nodes with at least the "
      "specified number of threads per core.", int_attr("threads_per_core")),
    P("time_limit", _TIME, "Time limit in minutes, or a time string (\"1:30:00\", "
      "\"2-00:00:00\"); 0 is unlimited.", duration("time_limit")),
    P("time_minimum", _TIME, "Minimum run time in minutes, or a time string.",
      duration("time_min")),
    P("umask", Str, "Octal file creation mask (accepted; as with the reference, it does "
      "not change the job).", w_umask),
    P("wait_all_nodes", Int, "Do not begin execution until all nodes are ready for use "
      "(1) or start at once (0).", w_wait_all_nodes),
    P("wckey", Str, "Specify wckey to be used with job.", text("wckey")),
], description="Job properties (keys are case-insensitive)", required=["environment"])

# Keys the reference knows but refuses ("Disabled key").
DISABLED = frozenset("""
accelerator_binding allocation_node_list bell burst_buffer_file cluster clusters compress
contiguous cpu_binding debugger_test disable_status epilog excluded_nodes export_file export
extra_node_info group_id help hetjob_group ignore_pbs immediate job_id kill_command
kill_on_bad_exit label max_threads message_timeout mpi multiple_program network no_allocation
no_bell nodefile no_shell overcommit parsable power_flags preserve_environment prolog
propagate pty quiet quit_on_interrupt reboot relative required_nodes required_switches
reserve_port reserve_ports slurmd_debug task_epilog task_prolog threads unbuffered unknown
usage user_id version verbose wait_for_switch wait wrap x11
""".split())


def _submission(properties: Obj) -> Obj:
    return Obj("job_submission", [
        Field("script", Str, description="Executable script (full contents) to run in batch "
              "step"),
        Field("job", properties),
        Field("jobs", Array(properties), description="Properties of an HetJob"),
    ], required=["script"])


SUBMIT_RESPONSE = response_obj("job_submission_response", [
    Field("job_id", Int, description="new job ID"),
    Field("step_id", Str, description="new job step ID (BATCH for a batch job)"),
    Field("job_submit_user_msg", CText, description="Message to user from job_submit "
          "plugin"),
])
CONTROL_RESPONSE = response_obj("job_control_response", [],
                                description="The outcome of a job update or signal")


_JOB_ID = Param("job_id", "path", Str, "Slurm Job ID", True)


def control_operations(words: Vocabulary, job_id=str, id_param: Param = _JOB_ID
                       ) -> list[Operation]:
    """POST /job/submit, POST and DELETE /job/{job_id}, reading `words`;
    `job_id` makes the path's job id the text Slurm is sent."""
    return [
        Operation("POST", "job/submit", "submit_job", "submit new job", "slurm",
                  lambda call: submit_job(call, words), SUBMIT_RESPONSE,
                  body=_submission(words.properties), errors="error_code"),
        Operation("POST", "job/{job_id}", "update_job",
                  "update job", "slurm", lambda call: update_job(call, words, job_id),
                  CONTROL_RESPONSE, [id_param], body=words.properties),
        Operation("DELETE", "job/{job_id}", "cancel_job",
                  "cancel or signal job", "slurm", lambda call: cancel_job(call, job_id),
                  CONTROL_RESPONSE,
                  [id_param, Param("signal", "query", OneOf(Int, Enum(*SIGNALS)),
                                  "signal to send to job (number or name, with or without "
                                  "SIG; default KILL)")]),
    ]


WORDS = Vocabulary(PROPERTIES, DISABLED, 'Unable to process key "{}"')
OPERATIONS = control_operations(WORDS)
