/* The share-information messages of Slurm 22.05's REQUEST_SHARE_INFO, whole:
   not in the installed headers, so share_info.c compiles this text too. */
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
