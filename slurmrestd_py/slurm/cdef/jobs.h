/* <slurm/slurm.h>: job information (GET /jobs, /job/{job_id}) */
#define SHOW_ALL ...
#define SHOW_DETAIL ...
#define SHOW_MIXED ...
#define SHOW_LOCAL ...
#define SHOW_SIBLING ...
#define SHOW_FEDERATION ...
#define SHOW_FUTURE ...
#define NICE_OFFSET ...
#define MEM_PER_CPU ...
#define CORE_SPEC_THREAD ...
#define CR_CPU ...
#define CR_SOCKET ...
#define CR_CORE ...
#define JOB_SHARED_NONE ...
#define JOB_SHARED_OK ...
#define JOB_SHARED_USER ...
#define JOB_SHARED_MCS ...
#define ACCT_GATHER_PROFILE_NOT_SET ...
#define ACCT_GATHER_PROFILE_NONE ...
#define ACCT_GATHER_PROFILE_ENERGY ...
#define ACCT_GATHER_PROFILE_LUSTRE ...
#define ACCT_GATHER_PROFILE_NETWORK ...
#define ACCT_GATHER_PROFILE_TASK ...
/* job_info_t.bitflags */
#define KILL_INV_DEP ...
#define NO_KILL_INV_DEP ...
#define HAS_STATE_DIR ...
#define BACKFILL_TEST ...
#define GRES_ENFORCE_BIND ...
#define TEST_NOW_ONLY ...
#define SPREAD_JOB ...
#define USE_MIN_NODES ...
#define JOB_KILL_HURRY ...
#define TRES_STR_CALC ...
#define SIB_JOB_FLUSH ...
#define HET_JOB_FLAG ...
#define JOB_CPUS_SET ...
#define TOP_PRIO_TMP ...
#define JOB_ACCRUE_OVER ...
#define GRES_DISABLE_BIND ...
#define JOB_WAS_RUNNING ...
#define JOB_MEM_SET ...
#define JOB_RESIZED ...
/* job_info_t.job_state: base states and flags */
#define JOB_STATE_BASE ...
#define JOB_COMPLETING ...
#define JOB_STAGE_OUT ...
#define JOB_CONFIGURING ...
#define JOB_RESIZING ...
#define JOB_REQUEUE ...
#define JOB_REQUEUE_FED ...
#define JOB_REQUEUE_HOLD ...
#define JOB_SPECIAL_EXIT ...
#define JOB_STOPPED ...
#define JOB_REVOKED ...
#define JOB_RESV_DEL_HOLD ...
#define JOB_SIGNALING ...
/* Opaque in the public header: jobs.py reads it by its 22.05 layout. */
typedef struct job_resources job_resources_t;

typedef struct job_info {
    char *account;
    time_t accrue_time;
    char *admin_comment;
    uint32_t array_job_id;
    uint32_t array_task_id;
    uint32_t array_max_tasks;
    char *array_task_str;
    uint32_t assoc_id;
    char *batch_features;
    uint16_t batch_flag;
    char *batch_host;
    uint64_t bitflags;
    char *burst_buffer;
    char *burst_buffer_state;
    char *cluster;
    char *cluster_features;
    char *command;
    char *comment;
    char *container;
    uint16_t contiguous;
    uint16_t core_spec;
    uint16_t cores_per_socket;
    double billable_tres;
    uint16_t cpus_per_task;
    uint32_t cpu_freq_min;
    uint32_t cpu_freq_max;
    uint32_t cpu_freq_gov;
    char *cpus_per_tres;
    time_t deadline;
    uint32_t delay_boot;
    char *dependency;
    uint32_t derived_ec;
    time_t eligible_time;
    time_t end_time;
    char *exc_nodes;
    uint32_t exit_code;
    char *features;
    char *fed_origin_str;
    char *fed_siblings_active_str;
    char *fed_siblings_viable_str;
    uint32_t gres_detail_cnt;
    char **gres_detail_str;
    uint32_t group_id;
    uint32_t het_job_id;
    char *het_job_id_set;
    uint32_t het_job_offset;
    uint32_t job_id;
    job_resources_t *job_resrcs;
    uint32_t job_state;
    time_t last_sched_eval;
    char *licenses;
    uint32_t max_cpus;
    uint32_t max_nodes;
    char *mcs_label;
    char *mem_per_tres;
    char *name;
    char *nodes;
    uint32_t nice;
    uint16_t ntasks_per_core;
    uint16_t ntasks_per_node;
    uint16_t ntasks_per_socket;
    uint16_t ntasks_per_board;
    uint32_t num_cpus;
    uint32_t num_nodes;
    uint32_t num_tasks;
    char *partition;
    char *prefer;
    uint64_t pn_min_memory;
    uint16_t pn_min_cpus;
    uint32_t pn_min_tmp_disk;
    time_t preempt_time;
    time_t pre_sus_time;
    uint32_t priority;
    uint32_t profile;
    char *qos;
    uint8_t reboot;
    char *req_nodes;
    uint16_t requeue;
    time_t resize_time;
    uint16_t restart_cnt;
    char *resv_name;
    uint16_t shared;
    uint16_t show_flags;
    uint16_t sockets_per_board;
    uint16_t sockets_per_node;
    time_t start_time;
    char *state_desc;
    uint16_t state_reason;
    char *std_err;
    char *std_in;
    char *std_out;
    time_t submit_time;
    time_t suspend_time;
    char *system_comment;
    uint32_t time_limit;
    uint32_t time_min;
    uint16_t threads_per_core;
    char *tres_bind;
    char *tres_freq;
    char *tres_per_job;
    char *tres_per_node;
    char *tres_per_socket;
    char *tres_per_task;
    char *tres_req_str;
    char *tres_alloc_str;
    uint32_t user_id;
    char *user_name;
    char *wckey;
    char *work_dir;
    ...;
} slurm_job_info_t;

typedef struct job_info_msg {
    time_t last_update;
    uint32_t record_count;
    slurm_job_info_t *job_array;
    ...;
} job_info_msg_t;

int slurm_load_jobs(time_t update_time, job_info_msg_t **job_info_msg_pptr, uint16_t show_flags);
int slurm_load_job(job_info_msg_t **resp, uint32_t job_id, uint16_t show_flags);
void slurm_free_job_info_msg(job_info_msg_t *job_buffer_ptr);
uint32_t slurm_xlate_job_id(char *job_id_str);
