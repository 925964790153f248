"""A job's properties as the reference reads them, whatever the API version
(a version declares only its keys; see v0_0_38/job_control.py): `values`
converts JSON values, `sbatch_syntax` parses sbatch's option syntaxes,
`writers` record each property in a `job_desc.Spec`, which fills a
job_desc_msg_t, and `control` submits, updates and signals jobs with it."""
