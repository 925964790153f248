/* <slurm/slurm.h>: sentinels, initialisation, configuration, ping, diag, licenses */
#define NO_VAL ...
#define NO_VAL64 ...
#define INFINITE ...
#define INFINITE64 ...
#define STAT_COMMAND_GET ...
#define SLURM_SUCCESS ...

typedef struct {
    char *accounting_storage_host;
    char *accounting_storage_type;
    char *authtype;
    uint32_t control_cnt;
    char **control_machine;
    uint32_t slurm_user_id;
    char *slurm_user_name;
    char *cluster_name;
    char *plugindir;
    uint16_t select_type_param;
    ...;
} slurm_conf_t;

typedef struct {
    uint16_t command_id;
    ...;
} stats_info_request_msg_t;

typedef struct {
    uint32_t parts_packed;
    time_t req_time;
    time_t req_time_start;
    uint32_t server_thread_count;
    uint32_t agent_queue_size;
    uint32_t agent_count;
    uint32_t agent_thread_count;
    uint32_t dbd_agent_queue_size;
    uint32_t gettimeofday_latency;
    uint32_t schedule_cycle_max;
    uint32_t schedule_cycle_last;
    uint32_t schedule_cycle_sum;
    uint32_t schedule_cycle_counter;
    uint32_t schedule_cycle_depth;
    uint32_t schedule_queue_len;
    uint32_t jobs_submitted;
    uint32_t jobs_started;
    uint32_t jobs_completed;
    uint32_t jobs_canceled;
    uint32_t jobs_failed;
    uint32_t jobs_pending;
    uint32_t jobs_running;
    time_t job_states_ts;
    uint32_t bf_backfilled_jobs;
    uint32_t bf_last_backfilled_jobs;
    uint32_t bf_backfilled_het_jobs;
    uint32_t bf_cycle_counter;
    uint64_t bf_cycle_sum;
    uint32_t bf_cycle_last;
    uint32_t bf_cycle_max;
    uint32_t bf_last_depth;
    uint32_t bf_last_depth_try;
    uint32_t bf_depth_sum;
    uint32_t bf_depth_try_sum;
    uint32_t bf_queue_len;
    uint32_t bf_queue_len_sum;
    uint32_t bf_table_size;
    uint32_t bf_table_size_sum;
    time_t bf_when_last_cycle;
    uint32_t bf_active;
    uint32_t rpc_type_size;
    uint16_t *rpc_type_id;
    uint32_t *rpc_type_cnt;
    uint64_t *rpc_type_time;
    uint32_t rpc_user_size;
    uint32_t *rpc_user_id;
    uint32_t *rpc_user_cnt;
    uint64_t *rpc_user_time;
    uint32_t rpc_queue_type_count;
    uint32_t *rpc_queue_type_id;
    uint32_t *rpc_queue_count;
    uint32_t rpc_dump_count;
    uint32_t *rpc_dump_types;
    char **rpc_dump_hostlist;
#include "release/stats_info.fields"
    ...;
} stats_info_response_msg_t;

typedef struct {
    char *name;
    uint32_t total;
    uint32_t in_use;
    uint32_t available;
    uint8_t remote;
    uint32_t reserved;
    ...;
} slurm_license_info_t;

typedef struct {
    time_t last_update;
    uint32_t num_lic;
    slurm_license_info_t *lic_array;
    ...;
} license_info_msg_t;

void slurm_init(const char *conf);
/* libslurm's own free, for strings it allocates for us (xmalloc). */
void slurm_xfree(void **item);
void slurm_fini(void);
/* Exported, not in the header: re-read slurm.conf (SIGHUP). */
int slurm_conf_reinit(const char *file_name);
int slurm_ping(int dest);
int slurm_reconfigure(void);
int slurm_get_statistics(stats_info_response_msg_t **buf, stats_info_request_msg_t *req);
void slurm_free_stats_response_msg(stats_info_response_msg_t *msg);
int slurm_load_licenses(time_t, license_info_msg_t **, uint16_t);
void slurm_free_license_info_msg(license_info_msg_t *);

/* The configuration libslurm read at slurm_init(): exported, not in the header. */
extern slurm_conf_t slurm_conf;
