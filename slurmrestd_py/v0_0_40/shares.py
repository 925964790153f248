"""GET /slurm/v0.0.40/shares (v0.0.41 serves the same): each association's
fair-share standing, as slurmctld's priority plugin computes it (sshare's
REQUEST_SHARE_INFO RPC; 24.11 calls it slurm_associations_get_shares).

The reference reads its accounts and users filters from the path's
parameters, where there are none, so it always answers with every
association the user may see; so do we (the query parameters are
documented and ignored alike).
"""
from __future__ import annotations

from types import SimpleNamespace

from .. import slurm
from ..envelope import response_40
from ..errors import SlurmError
from ..kinds import F64, NUMBER_OBJECTS, U32, U64, flag_list
from ..routes import Operation, Param
from ..schema import ArrayOf, Expr, Field, Num, Obj, Scalar, Str
from ..slurm import ffi, lib
from ..v0_0_38.nodes import Text

SLURM_UNEXPECTED_MSG_ERROR = 1000
_INT32 = Scalar("integer", "int32")
# UINT64: NO_VAL64 and INFINITE64 are null.
_U64 = Scalar("integer", "int64", nullable=True, template=U64.base.template)
U64_OBJ = NUMBER_OBJECTS[U64]

TYPE, _type = flag_list("assoc_shares_obj_wrap_type", (
    ("USER", 0xFFFF, 1), ("ASSOCIATION", 0xFFFF, 0)))

# A TRES value of an association, read from (TRES name, value).
UINT64_TRES = Obj("shares_uint64_tres", [
    Field("name", Str, Expr("j[0]"), "TRES name"),
    Field("value", U64_OBJ, lambda t: U64_OBJ.converter()(t[1]), "TRES value"),
])
FLOAT128_TRES = Obj("shares_float128_tres", [
    Field("name", Str, Expr("j[0]"), "TRES name"),
    Field("value", F64.base, lambda t: F64.base.converter()(float(t[1])), "TRES value"),
])
UINT64_TRES_LIST = ArrayOf("shares_uint64_tres_list", UINT64_TRES)
FLOAT128_TRES_LIST = ArrayOf("shares_float128_tres_list", FLOAT128_TRES)

# `tres(array, read)` lists an array indexed by the answer's TRES (bound
# for each answer: their count and names come with it).
SHARE = Obj("assoc_shares_obj_wrap", [
    Field("id", _INT32, "assoc_id", "Association ID"),
    Field("cluster", Text, description="Cluster name"),
    Field("name", Text, description="Share name"),
    Field("parent", Text, description="Parent name"),
    Field("partition", Text, description="Partition name"),
    Field("shares_normalized", F64, "shares_norm", "Normalized shares"),
    Field("shares", U32, "shares_raw", "Number of shares allocated"),
    Field("tres/run_seconds", UINT64_TRES_LIST, Expr("tres(j.tres_run_secs, U64_TRES)"),
          "Currently running tres-secs = grp_used_tres_run_secs"),
    Field("tres/group_minutes", UINT64_TRES_LIST, Expr("tres(j.tres_grp_mins, U64_TRES)"),
          "TRES-minute limit"),
    Field("effective_usage", Num, "usage_efctv", "Effective, normalized usage"),
    Field("usage_normalized", F64, "usage_norm", "Normalized usage"),
    Field("usage", _U64, "usage_raw", "Measure of tresbillableunits usage"),
    Field("tres/usage", FLOAT128_TRES_LIST, Expr("tres(j.usage_tres_raw, F128_TRES)"),
          "Measure of each TRES usage"),
    Field("fairshare/factor", Num, "fs_factor", "Fairshare factor"),
    Field("fairshare/level", Num, "level_fs", "Fairshare factor at this level; stored on an "
          "assoc as a long double, but that is not needed for display in sshare"),
    Field("type", TYPE, lambda s: _type(s.user), "User or account association"),
], names={"tres": None, "U64_TRES": UINT64_TRES.read, "F128_TRES": FLOAT128_TRES.read},
    dialect=NUMBER_OBJECTS)


def _tres_reader(msg):
    """`tres(array, read)` for the answer `msg`: the array's values by TRES name."""
    names = [slurm.text(msg.tres_names[i]) for i in range(msg.tres_cnt)]

    def tres(array, read) -> list:
        if array == ffi.NULL:
            return []
        return [read((name, array[i])) for i, name in enumerate(names)]
    return tres


# Slurm 24.11's installed headers declare no share-information messages
# (slurm_associations_get_shares takes and gives private structs): there, no
# shares are read, and the answer is that of a cluster with none.
_UNREAD = SimpleNamespace(tot_shares=slurm.NO_VAL64)


def _share_info():
    """slurmctld's shares_response_msg_t for every association (the caller
    frees it), or None when it answers with a bare success."""
    slurm.init()
    request = ffi.new("shares_request_msg_t *")  # no accounts, no users: all of them
    sent, got = (ffi.new("char[]", lib.SLURM_MSG_SIZE) for _ in range(2))
    lib.slurm_msg_t_init(sent)
    lib.slurm_msg_t_init(got)
    head = ffi.cast("slurm_msg_head_t *", sent)
    head.msg_type = lib.REQUEST_SHARE_INFO
    head.data = request
    rc = lib.slurm_send_recv_controller_msg(sent, got, ffi.NULL)
    answer = ffi.cast("slurm_msg_head_t *", got)
    if rc < 0:
        rc = lib.slurm_get_errno() or rc
    elif answer.msg_type == lib.RESPONSE_SHARE_INFO:
        return ffi.cast("shares_response_msg_t *", answer.data)
    elif answer.msg_type == lib.RESPONSE_SLURM_RC:
        result = ffi.cast("return_code_msg_t *", answer.data)
        rc = result.return_code
        lib.slurm_free_return_code_msg(result)
        if not rc:
            return None
    else:
        rc = SLURM_UNEXPECTED_MSG_ERROR
    raise SlurmError(rc, "_dump_shares", "slurm_associations_get_shares() failed: GET")


def shares_operation(share: Obj) -> Operation:
    """GET shares answered with `share` for each association."""
    body = Obj("shares_resp_msg", [
        Field("shares", ArrayOf("assoc_shares_obj_list", share), Expr("shares(j)"),
              "Association shares"),
        Field("total_shares", _U64, "tot_shares", "Total number of shares"),
    ], names={"shares": None})
    response = response_40("openapi_shares_resp", [
        Field("shares", body, description="fairshare info")])

    def get_shares(call) -> dict:
        if not slurm.PRIVATE_LAYOUTS:  # no association read, the total unset
            return {"shares": body.with_names(shares=lambda m: []).read(_UNREAD)}
        msg = _share_info()
        if msg is None:  # read as an answer with no association
            return {"shares": body.with_names(shares=lambda m: []).read(
                ffi.new("shares_response_msg_t *"))}
        try:
            read = share.with_names(tres=_tres_reader(msg)).read
            # The list walked to its end first: its iterator is gone before the list is.
            found = list(slurm.records(msg.assoc_shares_list, "assoc_shares_object_t *"))
            return {"shares": body.with_names(shares=lambda m: [read(o) for o in found]).read(msg)}
        finally:
            lib.slurm_free_shares_response_msg(msg)

    return Operation("GET", "shares", "get_shares", "get fairshare info", "slurm", get_shares,
                     response, [Param("accounts", "query", Str, "Accounts to query"),
                                Param("users", "query", Str, "Users to query")])


OPERATIONS = [shares_operation(SHARE)]
