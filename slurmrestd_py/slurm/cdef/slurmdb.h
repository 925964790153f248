/* <slurm/slurmdb.h>: slurmdbd queries, additions and removals behind /slurmdb/v0.0.38.
 * A list is `struct xlist *` (22.05's List, 24.11's list_t *; slurm_list_create/append/destroy are declared in
 * job_submit.h); libslurm's lists are walked with its iterator. */
#define DBD_ROLLUP_COUNT ...
#define SLURM_PENDING_STEP ...
#define SLURM_EXTERN_CONT ...
#define SLURM_BATCH_SCRIPT ...
#define SLURM_INTERACTIVE_STEP ...

typedef int64_t bitstr_t;

struct listIterator *slurm_list_iterator_create(struct xlist *l);
void *slurm_list_next(struct listIterator *i);
void slurm_list_iterator_destroy(struct listIterator *i);
int slurm_list_count(struct xlist *l);

typedef struct {
    uint64_t count;
    uint32_t id;
    char *name;
    char *type;
    ...;
} slurmdb_tres_rec_t;

typedef struct {
    uint16_t with_deleted;
    ...;
} slurmdb_tres_cond_t;

typedef struct {
    struct xlist *acct_list;
    struct xlist *cluster_list;
    struct xlist *def_qos_id_list;
    struct xlist *id_list;
    struct xlist *parent_acct_list;
    struct xlist *partition_list;
    struct xlist *qos_list;
    time_t usage_end;
    time_t usage_start;
    struct xlist *user_list;
#include "release/assoc_cond.fields"
    ...;
} slurmdb_assoc_cond_t;

typedef struct slurmdb_assoc_usage {
    uint32_t accrue_cnt;
    double grp_used_wall;
    double fs_factor;
    uint32_t level_shares;
    double priority_norm;
    double shares_norm;
    long double usage_efctv;
    long double usage_norm;
    long double usage_raw;
    uint32_t used_jobs;
    uint32_t used_submit_jobs;
    long double level_fs;
    ...;
} slurmdb_assoc_usage_t;

typedef struct slurmdb_assoc_rec {
    struct xlist *accounting_list;
    char *acct;
    char *cluster;
    uint32_t def_qos_id;
#include "release/assoc_rec.fields"
    uint32_t grp_jobs;
    uint32_t grp_jobs_accrue;
    uint32_t grp_submit_jobs;
    char *grp_tres;
    char *grp_tres_mins;
    char *grp_tres_run_mins;
    uint32_t grp_wall;
    uint32_t id;
    uint16_t is_def;
    uint32_t max_jobs;
    uint32_t max_jobs_accrue;
    uint32_t max_submit_jobs;
    char *max_tres_mins_pj;
    char *max_tres_run_mins;
    char *max_tres_pj;
    char *max_tres_pn;
    uint32_t max_wall_pj;
    uint32_t min_prio_thresh;
    char *parent_acct;
    char *partition;
    uint32_t priority;
    struct xlist *qos_list;
    uint32_t shares_raw;
    slurmdb_assoc_usage_t *usage;
    char *user;
    ...;
} slurmdb_assoc_rec_t;

typedef struct {
    char *name;
    uint16_t direct;
    ...;
} slurmdb_coord_rec_t;

typedef struct {
    slurmdb_assoc_cond_t *assoc_cond;
    struct xlist *description_list;
    struct xlist *organization_list;
#include "release/account_cond.fields"
    ...;
} slurmdb_account_cond_t;

typedef struct {
    struct xlist *assoc_list;
    struct xlist *coordinators;
    char *description;
    uint32_t flags;
    char *name;
    char *organization;
    ...;
} slurmdb_account_rec_t;

typedef struct {
    uint16_t admin_level;
    slurmdb_assoc_cond_t *assoc_cond;
    struct xlist *def_acct_list;
    struct xlist *def_wckey_list;
    uint16_t with_assocs;
    uint16_t with_coords;
    uint16_t with_deleted;
    uint16_t with_wckeys;
    uint16_t without_defaults;
    ...;
} slurmdb_user_cond_t;

typedef struct slurmdb_user_rec {
    uint16_t admin_level;
    struct xlist *assoc_list;
    struct xlist *coord_accts;
    char *default_acct;
    char *default_wckey;
    uint32_t flags;
    char *name;
    char *old_name;
    struct xlist *wckey_list;
    ...;
} slurmdb_user_rec_t;

typedef struct {
    struct xlist *cluster_list;
    uint32_t flags;
    uint16_t with_deleted;
    uint16_t with_usage;
    ...;
} slurmdb_cluster_cond_t;

typedef struct slurmdb_cluster_rec {
    struct xlist *accounting_list;
    char *control_host;
    uint32_t control_port;
    uint32_t flags;
    char *name;
    char *nodes;
#include "release/cluster_rec.fields"
    slurmdb_assoc_rec_t *root_assoc;
    uint16_t rpc_version;
    char *tres_str;
    ...;
} slurmdb_cluster_rec_t;

typedef struct {
    struct xlist *name_list;
#include "release/qos_cond.fields"
    ...;
} slurmdb_qos_cond_t;

typedef struct {
    char *description;
    uint32_t id;
    uint32_t flags;
    uint32_t grace_time;
    uint32_t grp_jobs_accrue;
    uint32_t grp_jobs;
    char *grp_tres;
    char *grp_tres_run_mins;
    char *grp_tres_mins;
    uint32_t grp_submit_jobs;
    uint32_t grp_wall;
    double limit_factor;
    uint32_t max_jobs_pa;
    uint32_t max_jobs_pu;
    uint32_t max_jobs_accrue_pa;
    uint32_t max_jobs_accrue_pu;
    uint32_t max_submit_jobs_pa;
    uint32_t max_submit_jobs_pu;
    char *max_tres_mins_pj;
    char *max_tres_pa;
    char *max_tres_pj;
    char *max_tres_pn;
    char *max_tres_pu;
    char *max_tres_run_mins_pa;
    char *max_tres_run_mins_pu;
    uint32_t max_wall_pj;
    uint32_t min_prio_thresh;
    char *min_tres_pj;
    char *name;
    bitstr_t *preempt_bitstr;
    struct xlist *preempt_list;
    uint16_t preempt_mode;
    uint32_t preempt_exempt_time;
    uint32_t priority;
    double usage_factor;
    double usage_thres;
    ...;
} slurmdb_qos_rec_t;

typedef struct {
    struct xlist *cluster_list;
    struct xlist *id_list;
    struct xlist *name_list;
    uint16_t only_defs;
    time_t usage_end;
    time_t usage_start;
    struct xlist *user_list;
    uint16_t with_usage;
    uint16_t with_deleted;
    ...;
} slurmdb_wckey_cond_t;

typedef struct {
    uint64_t alloc_secs;
    uint32_t id;
    time_t period_start;
    slurmdb_tres_rec_t tres_rec;
    ...;
} slurmdb_accounting_rec_t;

typedef struct {
    struct xlist *accounting_list;
    char *cluster;
    uint32_t flags;
    uint32_t id;
    uint16_t is_def;
    char *name;
    char *user;
    ...;
} slurmdb_wckey_rec_t;

typedef struct {
    struct xlist *acct_list;
    struct xlist *associd_list;
    struct xlist *cluster_list;
    struct xlist *constraint_list;
    uint32_t cpus_max;
    uint32_t cpus_min;
    uint32_t db_flags;
    int32_t exitcode;
    uint32_t flags;
    struct xlist *format_list;
    struct xlist *groupid_list;
    struct xlist *jobname_list;
    uint32_t nodes_max;
    uint32_t nodes_min;
    struct xlist *partition_list;
    struct xlist *qos_list;
    struct xlist *reason_list;
    struct xlist *resv_list;
    struct xlist *resvid_list;
    struct xlist *state_list;
    struct xlist *step_list;
    uint32_t timelimit_max;
    uint32_t timelimit_min;
    time_t usage_end;
    time_t usage_start;
    char *used_nodes;
    struct xlist *userid_list;
    struct xlist *wckey_list;
    ...;
} slurmdb_job_cond_t;

typedef struct {
    double act_cpufreq;
    uint64_t consumed_energy;
    char *tres_usage_in_ave;
    char *tres_usage_in_max;
    char *tres_usage_in_max_nodeid;
    char *tres_usage_in_max_taskid;
    char *tres_usage_in_min;
    char *tres_usage_in_min_nodeid;
    char *tres_usage_in_min_taskid;
    char *tres_usage_in_tot;
    char *tres_usage_out_ave;
    char *tres_usage_out_max;
    char *tres_usage_out_max_nodeid;
    char *tres_usage_out_max_taskid;
    char *tres_usage_out_min;
    char *tres_usage_out_min_nodeid;
    char *tres_usage_out_min_taskid;
    char *tres_usage_out_tot;
    ...;
} slurmdb_stats_t;

typedef struct {
    char *account;
    char *admin_comment;
    uint32_t alloc_nodes;
    uint32_t array_job_id;
    uint32_t array_max_tasks;
    uint32_t array_task_id;
    char *array_task_str;
    uint32_t associd;
    char *cluster;
    char *constraints;
    char *container;
    uint32_t derived_ec;
    char *derived_es;
    uint32_t elapsed;
    time_t eligible;
    time_t end;
    uint32_t exitcode;
    uint32_t flags;
    uint32_t gid;
    uint32_t het_job_id;
    uint32_t het_job_offset;
    uint32_t jobid;
    char *jobname;
    char *mcs_label;
    char *nodes;
    char *partition;
    uint32_t priority;
    uint32_t qosid;
    uint32_t req_cpus;
    uint64_t req_mem;
    uint32_t requid;
    uint32_t resvid;
    char *resv_name;
    time_t start;
    uint32_t state;
    uint32_t state_reason_prev;
    struct xlist *steps;
    time_t submit;
    uint32_t suspended;
    char *system_comment;
    uint64_t sys_cpu_sec;
    uint64_t sys_cpu_usec;
    uint32_t timelimit;
    uint64_t tot_cpu_sec;
    uint64_t tot_cpu_usec;
    char *tres_alloc_str;
    char *tres_req_str;
    char *user;
    uint64_t user_cpu_sec;
    uint64_t user_cpu_usec;
    char *wckey;
    char *work_dir;
    char *blockid;
    char *script;
    char *submit_line;
    char *used_gres;
#include "release/job_rec.fields"
    ...;
} slurmdb_job_rec_t;

typedef struct {
    uint32_t job_id;
    uint32_t step_het_comp;
    uint32_t step_id;
    ...;
} slurm_step_id_t;

typedef struct {
    uint32_t elapsed;
    time_t end;
    int32_t exitcode;
    uint32_t nnodes;
    char *nodes;
    uint32_t ntasks;
    char *pid_str;
    uint32_t req_cpufreq_min;
    uint32_t req_cpufreq_max;
    uint32_t req_cpufreq_gov;
    uint32_t requid;
    time_t start;
    uint32_t state;
    slurmdb_stats_t stats;
    slurm_step_id_t step_id;
    char *stepname;
    uint32_t suspended;
    uint64_t sys_cpu_sec;
    uint32_t sys_cpu_usec;
    uint32_t task_dist;
    uint64_t tot_cpu_sec;
    uint32_t tot_cpu_usec;
    char *tres_alloc_str;
    uint64_t user_cpu_sec;
    uint32_t user_cpu_usec;
    ...;
} slurmdb_step_rec_t;

typedef struct {
    uint16_t count[...];
    time_t timestamp[...];
    uint64_t time_last[...];
    uint64_t time_max[...];
    uint64_t time_total[...];
    ...;
} slurmdb_rollup_stats_t;

typedef struct {
    uint32_t cnt;
    uint32_t id;
    uint64_t time;
    uint64_t time_ave;
    ...;
} slurmdb_rpc_obj_t;

typedef struct {
    slurmdb_rollup_stats_t *dbd_rollup_stats;
    struct xlist *rpc_list;
    time_t time_start;
    struct xlist *user_list;
    ...;
} slurmdb_stats_rec_t;

void *slurmdb_connection_get(uint16_t *persist_conn_flags);
int slurmdb_connection_close(void **db_conn);
struct xlist *slurmdb_accounts_get(void *db_conn, slurmdb_account_cond_t *acct_cond);
struct xlist *slurmdb_associations_get(void *db_conn, slurmdb_assoc_cond_t *assoc_cond);
struct xlist *slurmdb_clusters_get(void *db_conn, slurmdb_cluster_cond_t *cluster_cond);
struct xlist *slurmdb_jobs_get(void *db_conn, slurmdb_job_cond_t *job_cond);
struct xlist *slurmdb_qos_get(void *db_conn, slurmdb_qos_cond_t *qos_cond);
struct xlist *slurmdb_tres_get(void *db_conn, slurmdb_tres_cond_t *tres_cond);
struct xlist *slurmdb_users_get(void *db_conn, slurmdb_user_cond_t *user_cond);
struct xlist *slurmdb_wckeys_get(void *db_conn, slurmdb_wckey_cond_t *wckey_cond);
int slurmdb_connection_commit(void *db_conn, bool commit);
/* Each takes a List of records (of the type its name says). */
int slurmdb_accounts_add(void *db_conn, struct xlist *acct_list);
int slurmdb_users_add(void *db_conn, struct xlist *user_list);
int slurmdb_wckeys_add(void *db_conn, struct xlist *wckey_list);
int slurmdb_qos_add(void *db_conn, struct xlist *qos_list);
struct xlist *slurmdb_qos_modify(void *db_conn, slurmdb_qos_cond_t *qos_cond,
                                 slurmdb_qos_rec_t *qos);
int slurmdb_clusters_add(void *db_conn, struct xlist *cluster_list);
void slurmdb_init_cluster_rec(slurmdb_cluster_rec_t *cluster, bool free_it);
void slurmdb_init_qos_rec(slurmdb_qos_rec_t *qos, bool free_it, uint32_t init_val);
int slurmdb_coord_add(void *db_conn, struct xlist *acct_list, slurmdb_user_cond_t *user_cond);
void slurmdb_init_assoc_rec(slurmdb_assoc_rec_t *assoc, bool free_it);
int slurmdb_associations_add(void *db_conn, struct xlist *assoc_list);
/* The names of the associations it changed (a List of char *). */
struct xlist *slurmdb_associations_modify(void *db_conn, slurmdb_assoc_cond_t *assoc_cond,
                                          slurmdb_assoc_rec_t *assoc);
/* Each returns the names of what it removed (a List of char *). */
struct xlist *slurmdb_accounts_remove(void *db_conn, slurmdb_account_cond_t *acct_cond);
struct xlist *slurmdb_associations_remove(void *db_conn, slurmdb_assoc_cond_t *assoc_cond);
struct xlist *slurmdb_clusters_remove(void *db_conn, slurmdb_cluster_cond_t *cluster_cond);
struct xlist *slurmdb_qos_remove(void *db_conn, slurmdb_qos_cond_t *qos_cond);
struct xlist *slurmdb_users_remove(void *db_conn, slurmdb_user_cond_t *user_cond);
struct xlist *slurmdb_wckeys_remove(void *db_conn, slurmdb_wckey_cond_t *wckey_cond);
int slurmdb_get_stats(void *db_conn, slurmdb_stats_rec_t **stats_pptr);
void slurmdb_destroy_stats_rec(void *object);
void slurm_destroy_selected_step(void *object);

/* Exported by libslurm.so but not declared in its headers (_build.py
 * repeats these prototypes for the compiler). */
int slurm_addto_char_list(struct xlist *char_list, char *names);
int slurm_addto_id_char_list(struct xlist *char_list, char *names, bool gid);
void slurmdb_job_cond_def_start_end(slurmdb_job_cond_t *job_cond);
int slurmdb_addto_qos_char_list(struct xlist *char_list, struct xlist *qos_list, char *names,
                                int option);
char *slurmdb_make_tres_string(struct xlist *tres, uint32_t flags);
#define TRES_STR_FLAG_SIMPLE ...
int slurm_addto_step_list(struct xlist *step_list, char *names);
void slurm_xfree_ptr(void *ptr);
uint32_t slurm_job_state_num(const char *state_name);
char *slurm_job_state_string(uint32_t inx);
const char *slurm_job_reason_string(int inx);
char *slurm_step_layout_type_name(uint32_t task_dist);
bool slurm_bit_test(bitstr_t *b, int64_t bit);
int64_t slurm_bit_size(bitstr_t *b);

/* Step node lists, host by host (hostlist_create/destroy are in nodes.h). */
int slurm_hostlist_count(struct hostlist *hl);
char *slurm_hostlist_shift(struct hostlist *hl);
void free(void *ptr);
