/* <slurm/slurm.h>: node information (GET /nodes, /node/{node_name}) */
#define SHOW_ALL ...
#define SHOW_DETAIL ...
#define SHOW_MIXED ...

typedef struct dynamic_plugin_data dynamic_plugin_data_t;

typedef struct acct_gather_energy {
    uint32_t ave_watts;
    uint64_t base_consumed_energy;
    uint64_t consumed_energy;
    uint32_t current_watts;
    uint64_t previous_consumed_energy;
    time_t poll_time;
    ...;
} acct_gather_energy_t;

typedef struct node_info {
    char *arch;
    char *bcast_address;
    uint16_t boards;
    time_t boot_time;
    char *cluster_name;
    uint16_t cores;
    uint16_t core_spec_cnt;
    uint32_t cpu_bind;
    uint32_t cpu_load;
    uint64_t free_mem;
    uint16_t cpus;
    uint16_t cpus_efctv;
    char *cpu_spec_list;
    acct_gather_energy_t *energy;
    char *extra;
    char *features;
    char *features_act;
    char *gres;
    char *gres_drain;
    char *gres_used;
    time_t last_busy;
    char *mcs_label;
    uint64_t mem_spec_limit;
    char *name;
    uint32_t next_state;
    char *node_addr;
    char *node_hostname;
    uint32_t node_state;
    char *os;
    uint32_t owner;
    char *partitions;
    uint16_t port;
    uint64_t real_memory;
    char *comment;
    char *reason;
    time_t reason_time;
    uint32_t reason_uid;
    dynamic_plugin_data_t *select_nodeinfo;
    time_t slurmd_start_time;
    uint16_t sockets;
    uint16_t threads;
    uint32_t tmp_disk;
    uint32_t weight;
    char *tres_fmt_str;
    char *version;
    ...;
} node_info_t;

typedef struct node_info_msg {
    time_t last_update;
    uint32_t record_count;
    node_info_t *node_array;
} node_info_msg_t;

enum select_nodedata_type {
    SELECT_NODEDATA_SUBCNT = 2,
    SELECT_NODEDATA_MEM_ALLOC = 8,
    SELECT_NODEDATA_TRES_ALLOC_FMT_STR = 9,
    SELECT_NODEDATA_TRES_ALLOC_WEIGHTED = 10,
    ...
};

enum node_states {
    NODE_STATE_ALLOCATED,
    ...
};

int slurm_load_node(time_t update_time, node_info_msg_t **resp, uint16_t show_flags);
int slurm_load_node_single(node_info_msg_t **resp, char *node_name, uint16_t show_flags);
void slurm_free_node_info_msg(node_info_msg_t *node_buffer_ptr);
int slurm_get_select_nodeinfo(dynamic_plugin_data_t *nodeinfo,
                              enum select_nodedata_type data_type,
                              enum node_states state, void *data);

/* Node updates (POST /node/{node_name}, /nodes/; DELETE /node/{node_name}) */
typedef struct slurm_update_node_msg {
    char *comment;
    uint32_t cpu_bind;
    char *extra;
    char *features;
    char *features_act;
    char *gres;
    char *node_addr;
    char *node_hostname;
    char *node_names;
    uint32_t node_state;
    char *reason;
    uint32_t reason_uid;
    uint32_t weight;
    ...;
} update_node_msg_t;

void slurm_init_update_node_msg(update_node_msg_t *update_node_msg);
int slurm_update_node(update_node_msg_t *node_msg);
int slurm_delete_node(update_node_msg_t *node_msg);

/* Host lists: which partitions hold one node (see v0_0_38/nodes.py). A
 * host list is `struct hostlist *` (22.05's hostlist_t, 24.11's hostlist_t *). */
struct hostlist *slurm_hostlist_create(const char *hostlist);
void slurm_hostlist_destroy(struct hostlist *hl);
int slurm_hostlist_find(struct hostlist *hl, const char *hostname);
int slurm_hostlist_push(struct hostlist *hl, const char *hosts);
/* libslurm's allocation (slurm_xfree_ptr frees it): 24.11 has no _malloc one. */
char *slurm_hostlist_ranged_string_xmalloc(struct hostlist *hl);
