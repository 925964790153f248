/* <slurm/slurm.h>: reservations (GET /reservations, /reservation/{name}) */
#define RESERVE_FLAG_PURGE_COMP ...

typedef struct {
    char *node_name;
    char *core_id;
    ...;
} resv_core_spec_t;

typedef struct {
    char *accounts;
    char *burst_buffer;
    uint32_t core_cnt;
    uint32_t core_spec_cnt;
    resv_core_spec_t *core_spec;
    time_t end_time;
    char *features;
    uint64_t flags;
    char *groups;
    char *licenses;
    uint32_t max_start_delay;
    char *name;
    uint32_t node_cnt;
    char *node_list;
    char *partition;
    uint32_t purge_comp_time;
    time_t start_time;
#include "release/reserve_info.fields"
    char *tres_str;
    char *users;
    ...;
} reserve_info_t;

typedef struct {
    time_t last_update;
    uint32_t record_count;
    reserve_info_t *reservation_array;
    ...;
} reserve_info_msg_t;

int slurm_load_reservations(time_t update_time, reserve_info_msg_t **resp);
void slurm_free_reservation_info_msg(reserve_info_msg_t *resv_info_ptr);
