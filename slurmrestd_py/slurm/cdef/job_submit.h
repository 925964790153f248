/* <slurm/slurm.h>: submitting, updating and signalling jobs
 * (POST /job/submit, POST /job/{job_id}, DELETE /job/{job_id}) */
#define NICE_OFFSET ...
#define MEM_PER_CPU ...
#define KILL_FULL_JOB ...
#define SLURM_BATCH_SCRIPT ...
#define SLURM_PENDING_STEP ...
#define SLURM_EXTERN_CONT ...
#define SLURM_INTERACTIVE_STEP ...

typedef struct job_descriptor {
    char *account;
    char *acctg_freq;
    uint32_t argc;
    char **argv;
    char *array_inx;
    char *batch_features;
    time_t begin_time;
    uint64_t bitflags;
    char *burst_buffer;
    char *cluster_features;
    char *comment;
    uint16_t contiguous;
    char *container;
    uint16_t core_spec;
    uint32_t cpu_freq_min;
    uint32_t cpu_freq_max;
    uint32_t cpu_freq_gov;
    char *cpus_per_tres;
    time_t deadline;
    uint32_t delay_boot;
    char *dependency;
    char **environment;
    uint32_t env_size;
    char *exc_nodes;
    char *features;
    uint32_t group_id;
    char *job_id_str;
    uint16_t kill_on_node_fail;
    char *licenses;
    uint16_t mail_type;
    char *mail_user;
    char *mcs_label;
    char *mem_bind;
    uint16_t mem_bind_type;
    char *mem_per_tres;
    char *name;
    uint32_t nice;
    uint32_t num_tasks;
    uint8_t open_mode;
    char *partition;
    uint16_t plane_size;
    char *prefer;
    uint32_t priority;
    uint32_t profile;
    char *qos;
    char *req_nodes;
    uint16_t requeue;
    char *reservation;
    char *script;
    uint16_t shared;
    uint32_t task_dist;
    uint32_t time_limit;
    uint32_t time_min;
    char *tres_bind;
    char *tres_freq;
    char *tres_per_job;
    char *tres_per_node;
    char *tres_per_socket;
    char *tres_per_task;
    uint32_t user_id;
    uint16_t wait_all_nodes;
    uint16_t warn_flags;
    uint16_t warn_signal;
    uint16_t warn_time;
    char *work_dir;
    uint16_t cpus_per_task;
    uint32_t min_cpus;
    uint32_t min_nodes;
    uint32_t max_nodes;
    uint16_t sockets_per_node;
    uint16_t cores_per_socket;
    uint16_t threads_per_core;
    uint16_t ntasks_per_node;
    uint16_t ntasks_per_socket;
    uint16_t ntasks_per_core;
    uint16_t ntasks_per_tres;
    uint16_t pn_min_cpus;
    uint64_t pn_min_memory;
    uint32_t pn_min_tmp_disk;
    char *std_err;
    char *std_in;
    char *std_out;
    char *wckey;
    /* v0.0.40 and later set these too */
    char *admin_comment;
    char *clusters;
    char *cpu_bind;
    uint16_t cpu_bind_type;
    time_t end_time;
    char *extra;
    uint16_t immediate;
    char *network;
    uint8_t overcommit;
    uint16_t reboot;
    uint32_t site_factor;
    uint32_t max_cpus;
    uint16_t boards_per_node;
    uint16_t sockets_per_board;
    uint16_t ntasks_per_board;
    uint32_t req_switch;
    uint32_t wait4switch;
    char *selinux_context;
    char **spank_job_env;
    uint32_t spank_job_env_size;
    uint16_t x11;
    char *x11_magic_cookie;
    char *x11_target;
    uint16_t x11_target_port;
    ...;
} job_desc_msg_t;

typedef struct submit_response_msg {
    uint32_t job_id;
    uint32_t step_id;
    uint32_t error_code;
    char *job_submit_user_msg;
} submit_response_msg_t;

typedef struct {
    uint32_t job_array_count;
    char **job_array_id;
    uint32_t *error_code;
    ...;
} job_array_resp_msg_t;

/* POST /job/allocate (v0.0.41 and later): a pending allocation, not waited for */
typedef struct resource_allocation_response_msg {
    uint32_t job_id;
    uint32_t error_code;
    char *job_submit_user_msg;
    ...;
} resource_allocation_response_msg_t;
int slurm_allocate_resources(job_desc_msg_t *job_desc_msg,
                             resource_allocation_response_msg_t **job_alloc_resp_msg);
void slurm_free_resource_allocation_response_msg(resource_allocation_response_msg_t *msg);

void slurm_init_job_desc_msg(job_desc_msg_t *job_desc_msg);
int slurm_submit_batch_job(job_desc_msg_t *job_desc_msg, submit_response_msg_t **slurm_alloc_msg);
int slurm_submit_batch_het_job(struct xlist *job_req_list, submit_response_msg_t **slurm_alloc_msg);
void slurm_free_submit_response_response_msg(submit_response_msg_t *msg);
int slurm_update_job2(job_desc_msg_t *job_msg, job_array_resp_msg_t **resp);
void slurm_free_job_array_resp(job_array_resp_msg_t *resp);
int slurm_kill_job2(const char *job_id, uint16_t signal, uint16_t flags, const char *sibling);

/* A heterogeneous job is a List of job_desc_msg_t (no destructor: Python owns them). */
struct xlist *slurm_list_create(void (*f)(void *x));
/* 22.05's returns x, 24.11's nothing: declared void for both. */
void slurm_list_append(struct xlist *l, void *x);
void slurm_list_destroy(struct xlist *l);

/* Required node lists are simplified as the reference does (ranged, unique);
 * slurm_hostlist_create/destroy are declared in nodes.h. */
void slurm_hostlist_uniq(struct hostlist *hl);
long slurm_hostlist_ranged_string(struct hostlist *hl, size_t n, char *buf);

/* Time specifications ("1:30:00", "now+1hour") as sbatch reads them. */
int32_t slurm_time_str2mins(const char *string);
int32_t slurm_time_str2secs(const char *string);
time_t slurm_parse_time(char *time_str, int past);
int slurm_verify_mem_bind(const char *arg, char **mem_bind, uint16_t *flags);
