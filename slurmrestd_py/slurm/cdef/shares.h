/* Slurm 22.05's REQUEST_SHARE_INFO RPC (what sshare asks slurmctld, and
   24.11's slurm_associations_get_shares): its messages are not in the public
   headers, so _build.py declares their layout (SHARE_INFO). */
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

typedef struct {
    struct xlist *acct_list;
    struct xlist *user_list;
} shares_request_msg_t;

typedef struct {
    struct xlist *assoc_shares_list;
    uint64_t tot_shares;
    uint32_t tres_cnt;
    char **tres_names;
} shares_response_msg_t;

typedef struct {
    uint32_t assoc_id;
    char *cluster;
    char *name;
    char *parent;
    char *partition;
    double shares_norm;
    uint32_t shares_raw;
    uint64_t *tres_run_secs;
    uint64_t *tres_grp_mins;
    double usage_efctv;
    double usage_norm;
    uint64_t usage_raw;
    long double *usage_tres_raw;
    double fs_factor;
    double level_fs;
    uint16_t user;
} assoc_shares_object_t;

void slurm_msg_t_init(void *msg);
int slurm_send_recv_controller_msg(void *request_msg, void *response_msg, void *comm_cluster_rec);
void slurm_free_return_code_msg(return_code_msg_t *msg);
void slurm_free_shares_response_msg(shares_response_msg_t *msg);
