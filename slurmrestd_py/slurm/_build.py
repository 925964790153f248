"""cffi build module for the libslurm binding (API mode).

Declarations live in cdef/*.h, one file per area of <slurm/slurm.h> and
<slurm/slurmdb.h> (common, jobs, nodes, ...), read in name order. Structs are
partial (`...;`): only the fields we read are named and the compiler supplies
the layout from the installed headers, so a field moving between Slurm builds
cannot silently shift our reads.
"""
import pathlib

from cffi import FFI

CDEF_DIR = pathlib.Path(__file__).with_name("cdef")

# Exported by libslurm.so but not declared in the public headers.
UNDECLARED = """
extern slurm_conf_t slurm_conf;
extern void slurm_free_stats_response_msg(stats_info_response_msg_t *msg);
extern int slurm_addto_char_list(List char_list, char *names);
extern int slurm_addto_step_list(List step_list, char *names);
extern void slurm_xfree_ptr(void *ptr);
extern uint32_t slurm_job_state_num(const char *state_name);
extern char *slurm_job_state_string(uint32_t inx);
extern const char *slurm_job_reason_string(enum job_state_reason inx);
extern char *slurm_step_layout_type_name(task_dist_states_t task_dist);
extern bool slurm_bit_test(bitstr_t *b, bitoff_t bit);
extern bitoff_t slurm_bit_size(bitstr_t *b);
extern void slurm_xfree(void **item);
extern int32_t slurm_time_str2mins(const char *string);
extern int32_t slurm_time_str2secs(const char *string);
extern time_t slurm_parse_time(char *time_str, int past);
extern int slurm_verify_mem_bind(const char *arg, char **mem_bind, uint16_t *flags);
extern int slurm_auth_init(char *auth_type);
extern int slurm_auth_fini(void);
extern int slurm_conf_reinit(const char *file_name);
extern int slurmdb_addto_qos_char_list(List char_list, List qos_list, char *names, int option);
extern char *slurmdb_make_tres_string(List tres, uint32_t flags);
#define TRES_STR_FLAG_SIMPLE 0x00000010
"""

# The REQUEST_SHARE_INFO messages as Slurm 22.05 lays them out
# (src/common/slurm_protocol_defs.h, not installed). Of slurm_msg_t only the
# members up to msg_type are spelled out, to place msg_type and data;
# SLURM_MSG_SIZE is room for the whole (slurm_msg_t_init clears it).
SHARE_INFO = """
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
"""

ffibuilder = FFI()
ffibuilder.cdef("\n".join(p.read_text() for p in sorted(CDEF_DIR.glob("*.h"))))
ffibuilder.set_source(
    "slurmrestd_py.slurm._libslurm",
    "#include <sys/prctl.h>\n#include <sched.h>\n#include <dlfcn.h>\n"
    "#include <slurm/slurm.h>\n#include <slurm/slurmdb.h>\n#include <slurm/slurm_errno.h>\n"
    + UNDECLARED + (CDEF_DIR / "share_info.h").read_text() + SHARE_INFO,
    libraries=["slurm"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=False)
