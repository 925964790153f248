/* Exported by 24.11's libslurm, not declared in its headers, under 22.05's
 * names the binding keeps. */
#include <errno.h>
extern const char *slurm_job_state_reason_string(enum job_state_reason inx);
#define slurm_job_reason_string slurm_job_state_reason_string
/* 24.11 sets errno itself and exports no slurm_get_errno (22.05's returns errno). */
#define slurm_get_errno() (errno)
