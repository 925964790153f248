"""slurmdbd as the /slurmdb API versions use it, whatever the version (a
version declares only its keys and operations; see dbv0_0_38/): `session`
holds the connection, the query conditions, the request's lookups and
errors; `readers` and `writers` move values between records and JSON;
`tres` and `qos` turn TRES strings and QOS ids into names and back;
`job_values` names a job's C values, `job_cond` fills a job query's
condition; `dbd_names` names slurmdbd's messages."""
