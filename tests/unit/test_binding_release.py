"""The binding's declarations per Slurm release (slurmrestd_py/slurm/_build.py):
chosen by the installed slurm_version.h, and the releases' sets differing only
by what cdef/<release>/ holds."""
import importlib.util
import pathlib
import re

import pytest
from cffi import FFI, model

from slurmrestd_py import slurm
from slurmrestd_py.slurm import ffi

# The build module and its declarations, from the source tree (not installed).
BUILD = pathlib.Path(__file__).parents[2] / "slurmrestd_py" / "slurm" / "_build.py"
_spec = importlib.util.spec_from_file_location("slurm_build", BUILD)
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def parsed(release: str) -> dict:
    """cffi's declarations of `release`: name -> its model type."""
    f = FFI()
    f.cdef(build.declarations(release))
    return {k: tp for k, (tp, _) in f._parser._declarations.items()}


def members(tp) -> set[str]:
    return set(tp.fldnames or ()) if isinstance(tp, model.StructOrUnion) else set()


def own_text(release: str, pattern: str) -> str:
    return "\n".join(p.read_text() for p in (build.CDEF_DIR / release).glob(pattern))


def test_built_for_the_installed_release():
    """The module was built from the declarations of the release whose
    slurm_version.h is installed, and libslurm is that release."""
    assert build.installed_release(build.include_dirs()) == slurm.RELEASE.rsplit(".", 1)[0]
    assert build.RELEASE in build.RELEASES


@pytest.mark.parametrize("release", build.RELEASES)
def test_each_release_declares_every_member_placeholder(release):
    """Every `#include "release/X"` of the common files names a file of each
    release, and each release's .fields file is used by one."""
    common = "\n".join(p.read_text() for p in build.CDEF_DIR.glob("*.h"))
    wanted = set(build._FIELDS.findall(common))
    have = {p.name for p in (build.CDEF_DIR / release).glob("*.fields")}
    assert wanted == have


def test_releases_differ_only_by_their_own_files():
    """A name declared by one release and not the other is one of that
    release's own declarations; a struct's members differ only by the
    members of its release .fields files."""
    sets = {r: parsed(r) for r in build.RELEASES}
    for r in build.RELEASES:
        other = next(o for o in build.RELEASES if o != r)
        own = own_text(r, "*.h")
        for key in sets[r].keys() - sets[other].keys():
            assert re.search(r"\b%s\b" % re.escape(key.split(" ", 1)[1]), own), (r, key)
        fields = own_text(r, "*.fields")
        for key in sets[r].keys() & sets[other].keys():
            for name in members(sets[r][key]) - members(sets[other][key]):
                assert re.search(r"\b%s;" % re.escape(name), fields), (r, key, name)


def test_release_only_names_are_not_common():
    """What cdef/<release>/*.h declares is not declared again by the common files."""
    common = FFI()
    common.cdef(build._FIELDS.sub("", "\n".join(
        p.read_text() for p in sorted(build.CDEF_DIR.glob("*.h")))))
    for r in build.RELEASES:
        only = FFI()
        only.cdef(own_text(r, "*.h"))
        again = set(only._parser._declarations) & set(common._parser._declarations)
        # a struct only pointed to (struct xlist *) is named, not declared
        assert not {k for k in again if members(only._parser._declarations[k][0])
                    or not k.startswith("struct ")}, r


def test_every_struct_matches_the_installed_headers():
    """cffi checks a struct's declared members against the compiler's layout
    when the type is first completed: each one the binding names, here."""
    complete = []
    for name in ffi.list_types()[0]:
        tp = ffi.typeof(name)
        if tp.kind == "struct":
            try:
                ffi.sizeof(tp)
            except ffi.error:  # opaque (job_resources_t): nothing declared to check
                continue
            try:
                tp.fields  # checks each member's offset and size
            except ffi.error as e:
                pytest.fail(str(e))
            complete.append(name)
    assert "slurm_job_info_t" in complete
