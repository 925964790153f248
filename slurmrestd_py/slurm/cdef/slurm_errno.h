/* <slurm/slurm_errno.h> */
int slurm_get_errno(void);
char *slurm_strerror(int errnum);
