/* <slurm/slurm.h> of 22.05 only: a job state flag and the {job_id} path
 * reader that 24.11 no longer has. */
#define JOB_RESIZED ...
uint32_t slurm_xlate_job_id(char *job_id_str);
