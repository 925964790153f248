"""The libslurm binding: initialisation, errors, sentinel numbers, id lookups.

Every call into libslurm goes through this package. Buffers libslurm returns
are released with their matching slurm_free_* call by `owned()`, on error
paths too; failures become one exception type, errors.SlurmError.
"""
import contextlib
import functools
import grp
import os
import pwd
import sys

from ..errors import SlurmError

# Slurm's plugins (auth/munge, hash/k12 ...) resolve libslurm's symbols from
# the global namespace, so the library must be loaded RTLD_GLOBAL.
_flags = sys.getdlopenflags()
sys.setdlopenflags(os.RTLD_NOW | os.RTLD_GLOBAL)
try:
    from ._libslurm import ffi, lib
finally:
    sys.setdlopenflags(_flags)

NO_VAL = lib.NO_VAL
NO_VAL64 = lib.NO_VAL64
INFINITE = lib.INFINITE
INFINITE64 = lib.INFINITE64
NO_VAL16 = 0xFFFE
INFINITE16 = 0xFFFF

VERSION = (
    (lib.SLURM_VERSION_NUMBER >> 16) & 0xFF,
    (lib.SLURM_VERSION_NUMBER >> 8) & 0xFF,
    lib.SLURM_VERSION_NUMBER & 0xFF,
)
RELEASE = "%d.%02d.%d" % VERSION
# job_resources_t and the REQUEST_SHARE_INFO messages are read by Slurm
# 22.05's private layouts (not installed, see cdef/22.05/); 24.11's installed
# headers declare neither, so there they are not read at all.
PRIVATE_LAYOUTS = VERSION[:2] == (22, 5)
# 22.05 exports slurm_auth_init/fini. 24.11's slurm_init loads the auth
# plugin (with the others), once: a process cannot change it, as slurm_init
# after slurm_fini crashes in 24.11's plugin loader. AUTH_SWITCHES: a process
# may load one auth plugin and then the other.
AUTH_SWITCHES = hasattr(lib, "slurm_auth_init")


@functools.cache
def _members(ctype: str) -> frozenset[str]:
    return frozenset(name for name, _ in ffi.typeof(ctype).fields)


def declared(ctype: str, member: str) -> bool:
    """Whether this release has `member` of struct `ctype` (the members one
    release alone has are in cdef/<release>/*.fields)."""
    return member in _members(ctype)


def strerror(errno: int) -> str:
    msg = lib.slurm_strerror(errno)
    return ffi.string(msg).decode() if msg != ffi.NULL else f"Unknown error {errno}"


def check(rc: int, call: str) -> None:
    """Raise SlurmError for a non-zero libslurm return code."""
    if rc != 0:
        errno = lib.slurm_get_errno() if rc == -1 else rc
        raise SlurmError(errno or rc, call)


_initialised = False
# What SLURM_JWT holds when libslurm loads auth/jwt: never a credential (the
# client's token goes in per process, by `act_as`), so a process that failed
# to set one sends this, which slurmctld refuses, and never another's token.
UNSET_TOKEN = "unset"
_auth: str | None = None  # the auth plugin loaded ("jwt", "munge"), None before
_auth_type = ffi.NULL  # slurm.conf's AuthType (loading auth/jwt overwrites it)


def init() -> None:
    """Read slurm.conf, once per process (no RPC, no credential)."""
    global _initialised, _auth
    if not _initialised:
        lib.slurm_init(ffi.NULL)
        _initialised = True
        if AUTH_SWITCHES:
            _keep_auth_type()
        else:  # slurm_init loaded auth/jwt if SLURM_JWT is set, else AuthType's
            _auth = "jwt" if "SLURM_JWT" in os.environ else "munge"


def _keep_auth_type() -> None:
    global _auth_type
    _auth_type = ffi.new("char[]", ffi.string(lib.slurm_conf.authtype)) \
        if lib.slurm_conf.authtype != ffi.NULL else ffi.NULL


def load_auth(jwt: bool) -> None:
    """Load libslurm's auth plugin now: auth/jwt (whose credential `act_as`
    sets), or AuthType (auth/munge: the daemon's own uid). The listening
    parent does this once, before forking, so a connection's process pays
    neither for the dlopens (the plugin, libjwt, libjansson, ...) nor for
    reading slurm.conf."""
    global _auth
    want = "jwt" if jwt else "munge"
    if _auth == want:
        return
    if _initialised and not AUTH_SWITCHES:  # 24.11, with the other plugin: refused, not crashed
        raise SlurmError(lib.ESLURM_NOT_SUPPORTED, "slurm_init",
                         f"auth/{_auth} loaded: Slurm 24.11 cannot load auth/{want} too")
    # libslurm picks auth/jwt over AuthType when SLURM_JWT is set, when it
    # loads its auth plugin: only then.
    if jwt:
        os.environ["SLURM_JWT"] = UNSET_TOKEN
    else:
        os.environ.pop("SLURM_JWT", None)
    init()
    if AUTH_SWITCHES:
        if _auth is not None:
            lib.slurm_auth_fini()
        check(lib.slurm_auth_init(ffi.NULL if jwt else _auth_type), "slurm_auth_init")
    # (24.11: slurm_init loaded it.)
    _auth = want


def warm_resolver() -> None:
    """Look up the first controller's address once. libslurm looks it up
    again for every RPC; glibc keeps what it set up for that (nsswitch.conf
    and host.conf read, nscd found absent) in the processes forked after."""
    import socket
    init()
    if lib.slurm_conf.control_cnt:
        try:
            socket.getaddrinfo(text(lib.slurm_conf.control_machine[0]), None)
        except OSError:
            pass  # each RPC reports it


# The user a token's RPCs act as (None: the daemon's own uid), for what names
# its owner: a submitted job. Looked up only when one is submitted.
_acting: str | None = None


def act_as(token: str | None, user: str | None = None, acting: str | None = None) -> None:
    """Make this process's RPCs carry the client's credential: `token` (a
    JWT, sent as the token's owner, or as `user` if given: slurmctld honours
    that only for root's and SlurmUser's tokens), or, without a token,
    auth/munge as the daemon's own uid. `acting`: the user name the
    credential stands for. Done once, after authentication."""
    global _acting
    load_auth(token is not None)
    if token is not None:
        _thread_config(token, user)
    _acting = acting if token is not None else None


def job_owner() -> tuple[int, int]:
    """The uid and gid a job description names as its owner. 24.11's
    slurmctld refuses a job naming none ("rejecting requested UID=NO_VAL");
    22.05's takes the credential's, as its reference leaves them unset."""
    if VERSION[:2] < (23, 2):
        return NO_VAL, NO_VAL
    try:
        entry = pwd.getpwnam(_acting) if _acting else None
    except KeyError:
        entry = None  # slurmctld decides whether it knows the user
    return (entry.pw_uid, entry.pw_gid) if entry else (os.getuid(), os.getgid())


def _thread_config(token: str, user: str | None) -> None:
    """auth/jwt's auth_p_thread_config: the token (and user name) it packs
    instead of SLURM_JWT's. libslurm's wrapper for it is not exported, so it
    is called in the plugin libslurm loaded (found, not loaded, by path)."""
    for directory in (text(lib.slurm_conf.plugindir) or "").split(":"):
        handle = lib.dlopen(os.path.join(directory, "auth_jwt.so").encode(),
                            lib.RTLD_NOW | lib.RTLD_NOLOAD)
        if handle == ffi.NULL:
            continue
        try:
            config = lib.dlsym(handle, b"auth_p_thread_config")
            if config == ffi.NULL:
                break
            call = ffi.cast("int (*)(const char *, const char *)", config)
            check(call(token.encode(), user.encode() if user else ffi.NULL),
                  "auth_p_thread_config")
            return
        finally:
            lib.dlclose(handle)
    raise SlurmError(lib.ESLURM_AUTH_CRED_INVALID, "auth_p_thread_config")


def reread() -> None:
    """SIGHUP in the listening parent: read slurm.conf again, and (22.05)
    load the auth plugin it names again, so the next connections see the change."""
    global _auth
    if not _initialised:
        return
    check(lib.slurm_conf_reinit(ffi.NULL), "slurm_conf_reinit")
    if not AUTH_SWITCHES:  # 24.11: the auth plugin loaded at start stays
        return
    _keep_auth_type()
    if _auth is not None:
        loaded, _auth = _auth, None
        lib.slurm_auth_fini()
        load_auth(loaded == "jwt")


def conf():
    """The slurm.conf libslurm read (no RPC)."""
    init()
    return lib.slurm_conf


@contextlib.contextmanager
def owned(call: str, free, ctype: str, loader):
    """Call `loader(ptr_ptr)`, yield the buffer, always free it.

    `loader` receives a `ctype **` out-parameter and returns libslurm's rc.
    """
    buf = load(call, free, ctype, loader)
    try:
        yield buf
    finally:
        free(buf)


def load(call: str, free, ctype: str, loader):
    """Call `loader(ptr_ptr)` and return the buffer it fills; the caller frees it.

    For streamed answers: load eagerly (so a failure is reported before any
    byte is sent), then hand the buffer to `stream`, which frees it.
    """
    init()
    out = ffi.new(ctype + " **")
    try:
        check(loader(out), call)
    except SlurmError:
        if out[0] != ffi.NULL:
            free(out[0])
        raise
    return out[0]


def stream(buf, free, array, count: int, read):
    """Yield `read(array[i])` for i < count, then free `buf` (also if abandoned)."""
    try:
        for i in range(count):
            yield read(array[i])
    finally:
        free(buf)


def records(lst, ctype: str):
    """The items of a libslurm List, cast to `ctype` (a NULL List is empty)."""
    if lst == ffi.NULL:
        return
    it = lib.slurm_list_iterator_create(lst)
    try:
        while True:
            x = lib.slurm_list_next(it)
            if x == ffi.NULL:
                return
            yield ffi.cast(ctype, x)
    finally:
        lib.slurm_list_iterator_destroy(it)


def strings(lst) -> list[str]:
    return [ffi.string(p).decode("utf-8", "replace") for p in records(lst, "char *")]


def text(ptr) -> str | None:
    """A C string as str; NULL as None."""
    return ffi.string(ptr).decode("utf-8", "replace") if ptr != ffi.NULL else None


def hostnames(ptr) -> list[str]:
    """The host names a hostlist expression (a C string) expands to, in its
    order; none for NULL, "" or an expression libslurm refuses."""
    if ptr == ffi.NULL:
        return []
    hl = lib.slurm_hostlist_create(ptr)
    if hl == ffi.NULL:
        return []
    out = []
    try:
        while True:
            h = lib.slurm_hostlist_shift(hl)
            if h == ffi.NULL:
                return out
            out.append(ffi.string(h).decode("utf-8", "replace"))
            lib.free(h)
    finally:
        lib.slurm_hostlist_destroy(hl)


class Cached(dict):
    """`lookup`'s answer for each argument, computed once (ids and enum values
    repeat across the records of a list). Called or indexed alike; compiled
    readers index it, which costs a dict lookup when the answer is known."""

    __slots__ = ("lookup",)

    def __init__(self, lookup):
        super().__init__()
        self.lookup = lookup

    def __missing__(self, key):
        value = self[key] = self.lookup(key)
        return value

    __call__ = dict.__getitem__


def _entry(lookup, missing):
    """`lookup` of an id, or `missing(id)` when the id has no entry."""
    def name(ident):
        try:
            return lookup(ident)
        except (KeyError, OverflowError):
            return missing(ident)
    return name


def _passwd(uid: int) -> str:
    return pwd.getpwuid(uid).pw_name


def _group(gid: int) -> str:
    return grp.getgrgid(gid).gr_name


# An id with no entry: its number (as slurmrestd logs and answers it) ...
user_name = Cached(_entry(_passwd, str))
group_name = Cached(_entry(_group, str))
# ... or null (libslurm's uid_to_string_or_null / gid_to_string_or_null).
user_or_null = Cached(_entry(_passwd, lambda _: None))
group_or_null = Cached(_entry(_group, lambda _: None))


def conf_value(key: str) -> str | None:
    """The last value slurm.conf gives `key`, read from the file itself:
    libslurm must not be initialised before the client is authenticated (see
    `init`), and some values are needed before that."""
    found = None
    path = os.environ.get("SLURM_CONF", "/etc/slurm/slurm.conf")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                k, sep, v = line.split("#", 1)[0].strip().partition("=")
                if sep and k.strip().lower() == key.lower():
                    found = v.strip()
    except OSError:
        pass
    return found


def cluster_name() -> str:
    return text(conf().cluster_name) or ""


def accounting_storage() -> str:
    """AccountingStorageType ("accounting_storage/slurmdbd")."""
    return text(conf().accounting_storage_type) or ""


def primary_group(user: str) -> str:
    """The name of `user`'s primary group ("" for a user with no passwd entry)."""
    try:
        return group_name(pwd.getpwnam(user).pw_gid)
    except KeyError:
        return ""


def slurm_user() -> tuple[int, int]:
    """SlurmUser's uid and gid (the start-up user check needs them)."""
    name = conf_value("SlurmUser") or "root"
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        return (int(name), -1) if name.isdigit() else (0, 0)
    return pw.pw_uid, pw.pw_gid
