/* The REQUEST_SHARE_INFO messages as Slurm 22.05 lays them out
 * (src/common/slurm_protocol_defs.h, not installed). Of slurm_msg_t only the
 * members up to msg_type are spelled out, to place msg_type and data;
 * SLURM_MSG_SIZE is room for the whole (slurm_msg_t_init clears it). */
#include "share_info.h"
#define REQUEST_SHARE_INFO 2022
#define RESPONSE_SHARE_INFO 2023
#define RESPONSE_SLURM_RC 8001
#define SLURM_MSG_SIZE 1024
typedef struct {
    slurm_addr_t address;
    void *auth_cred;
    int auth_index;
    uid_t auth_uid;
    bool auth_uid_set;
    uid_t restrict_uid;
    bool restrict_uid_set;
    uint32_t body_offset;
    void *buffer;
    void *conn;
    int conn_fd;
    void *data;
    uint32_t data_size;
    uint16_t flags;
    uint8_t hash_index;
    uint16_t msg_type;
} slurm_msg_head_t;
typedef struct { uint32_t return_code; } return_code_msg_t;
extern void slurm_msg_t_init(void *msg);
extern int slurm_send_recv_controller_msg(void *request_msg, void *response_msg,
                                          void *comm_cluster_rec);
extern void slurm_free_return_code_msg(return_code_msg_t *msg);
extern void slurm_free_shares_response_msg(shares_response_msg_t *msg);
