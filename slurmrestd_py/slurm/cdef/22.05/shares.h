/* Slurm 22.05's REQUEST_SHARE_INFO RPC (what sshare asks slurmctld): its
   messages are not in the installed headers, so share_info.c lays them out
   as 22.05 does (with share_info.h). 24.11's own (slurm_associations_get_shares)
   takes and gives structs its installed headers do not declare either. */
#define REQUEST_SHARE_INFO ...
#define RESPONSE_SHARE_INFO ...
#define RESPONSE_SLURM_RC ...
#define SLURM_MSG_SIZE ...

typedef struct {
    uint16_t msg_type;
    void *data;
    ...;
} slurm_msg_head_t;

typedef struct {
    uint32_t return_code;
    ...;
} return_code_msg_t;


void slurm_msg_t_init(void *msg);
int slurm_send_recv_controller_msg(void *request_msg, void *response_msg, void *comm_cluster_rec);
void slurm_free_return_code_msg(return_code_msg_t *msg);
void slurm_free_shares_response_msg(shares_response_msg_t *msg);
