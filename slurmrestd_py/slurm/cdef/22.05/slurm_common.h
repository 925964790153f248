/* Exported by 22.05's libslurm, not in its header: load the auth plugin now
 * (the parent, before forking), or again for another AuthType. 24.11 has
 * neither: its slurm_init loads the plugins and slurm_fini unloads them. */
int slurm_auth_init(char *auth_type);
int slurm_auth_fini(void);
