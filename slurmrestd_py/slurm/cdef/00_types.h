/* <time.h>, <sys/types.h>: integer types of platform-defined size */
typedef int... time_t;
typedef int... uid_t;
typedef int... gid_t;
