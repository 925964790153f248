"""cffi build module for the libslurm binding (API mode).

Declarations live in cdef/*.h, one file per area of <slurm/slurm.h> and
<slurm/slurmdb.h> (common, jobs, nodes, ...), read in name order. Structs are
partial (`...;`): only the fields we read are named and the compiler supplies
the layout from the installed headers, so a field moving between Slurm builds
cannot silently shift our reads.

What differs between the Slurm releases we build against (22.05, 24.11) is in
cdef/<release>/, the release chosen by the installed slurm/slurm_version.h:
- `#include "release/NAME.fields"` in a common struct takes the release's
  NAME.fields (members it alone has, or has typed otherwise);
- its *.h are declarations of that release only, read after the common ones;
- its *.c are C the compiler reads after the headers (prototypes of exported
  symbols the headers do not declare, 24.11's renames of 22.05's names).
"""
import os
import pathlib
import re

from cffi import FFI

CDEF_DIR = pathlib.Path(__file__).with_name("cdef")
RELEASES = ("22.05", "24.11")
# Where slurm/slurm_version.h is looked for: $SLURM_INCLUDE_DIR, then the
# compiler's usual directories.
INCLUDE_DIRS = ("/usr/local/include", "/usr/include")
_FIELDS = re.compile(r'^#include "release/([\w.]+)"\n', re.M)

# Exported by libslurm.so (both releases) but not declared in the public headers.
UNDECLARED = """
extern slurm_conf_t slurm_conf;
extern void slurm_free_stats_response_msg(stats_info_response_msg_t *msg);
extern int slurm_addto_char_list(struct xlist *char_list, char *names);
extern int slurm_addto_step_list(struct xlist *step_list, char *names);
extern int slurm_addto_id_char_list(struct xlist *char_list, char *names, bool gid);
extern void slurmdb_job_cond_def_start_end(slurmdb_job_cond_t *job_cond);
extern void slurm_xfree_ptr(void *ptr);
extern uint32_t slurm_job_state_num(const char *state_name);
extern char *slurm_job_state_string(uint32_t inx);
extern char *slurm_step_layout_type_name(task_dist_states_t task_dist);
extern bool slurm_bit_test(bitstr_t *b, bitoff_t bit);
extern bitoff_t slurm_bit_size(bitstr_t *b);
extern void slurm_xfree(void **item);
extern int32_t slurm_time_str2mins(const char *string);
extern int32_t slurm_time_str2secs(const char *string);
extern time_t slurm_parse_time(char *time_str, int past);
extern int slurm_verify_mem_bind(const char *arg, char **mem_bind, uint16_t *flags);
extern int slurm_conf_reinit(const char *file_name);
extern int slurmdb_addto_qos_char_list(struct xlist *char_list, struct xlist *qos_list,
                                       char *names, int option);
extern char *slurmdb_make_tres_string(struct xlist *tres, uint32_t flags);
#define TRES_STR_FLAG_SIMPLE 0x00000010
"""


def include_dirs() -> list[str]:
    return [d for d in (os.environ.get("SLURM_INCLUDE_DIR"),) if d] + list(INCLUDE_DIRS)


def installed_release(dirs: list[str]) -> str:
    """The release ("22.05", "24.11") of the first slurm/slurm_version.h in `dirs`."""
    for d in dirs:
        path = pathlib.Path(d, "slurm", "slurm_version.h")
        if path.is_file():
            found = re.search(r"^#define\s+SLURM_VERSION_NUMBER\s+(0x[0-9a-fA-F]+)",
                              path.read_text(), re.M)
            if found:
                number = int(found.group(1), 16)
                return "%d.%02d" % (number >> 16, (number >> 8) & 0xFF)
    raise SystemExit(f"slurm/slurm_version.h not found in {', '.join(dirs)}")


def declarations(release: str) -> str:
    """The cdef text for `release`: the common files, their release members
    filled in, then the release's own declarations."""
    if release not in RELEASES:
        raise SystemExit(f"Slurm {release}: the binding is declared for {', '.join(RELEASES)}")
    own = CDEF_DIR / release
    common = "\n".join(p.read_text() for p in sorted(CDEF_DIR.glob("*.h")))
    common = _FIELDS.sub(lambda m: (own / m.group(1)).read_text(), common)
    return "\n".join([common] + [p.read_text() for p in sorted(own.glob("*.h"))])


def source(release: str) -> str:
    """The C the compiler reads for `release`, after the installed headers."""
    return UNDECLARED + "".join(p.read_text() for p in sorted((CDEF_DIR / release).glob("*.c")))


RELEASE = installed_release(include_dirs())
ffibuilder = FFI()
ffibuilder.cdef(declarations(RELEASE))
ffibuilder.set_source(
    "slurmrestd_py.slurm._libslurm",
    "#include <sys/prctl.h>\n#include <sched.h>\n#include <dlfcn.h>\n"
    "#include <slurm/slurm.h>\n#include <slurm/slurmdb.h>\n#include <slurm/slurm_errno.h>\n"
    + source(RELEASE),
    include_dirs=[str(CDEF_DIR / RELEASE)] + include_dirs()[:-len(INCLUDE_DIRS)],
    libraries=["slurm"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=False)
