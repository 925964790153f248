/* Exported by 22.05's libslurm, not declared in its headers. */
extern int slurm_auth_init(char *auth_type);
extern int slurm_auth_fini(void);
extern char *slurm_job_reason_string(enum job_state_reason inx);
