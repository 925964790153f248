"""slurmdb query conditions, set by 22.05's member names on either release:
22.05's with_*/only_defs/without_* members of the account, association and
QOS conditions are bits of one `flags` member in 24.11."""
from . import ffi, lib

# 24.11 (cdef/24.11/slurmdb.h declares the bits): condition type -> member -> bit.
_BITS = {
    "slurmdb_account_cond_t": {
        "with_deleted": "SLURMDB_ACCT_FLAG_DELETED", "with_assocs": "SLURMDB_ACCT_FLAG_WASSOC",
        "with_coords": "SLURMDB_ACCT_FLAG_WCOORD"},
    "slurmdb_assoc_cond_t": {
        "with_deleted": "ASSOC_COND_FLAG_WITH_DELETED", "with_usage": "ASSOC_COND_FLAG_WITH_USAGE",
        "only_defs": "ASSOC_COND_FLAG_ONLY_DEFS", "with_raw_qos": "ASSOC_COND_FLAG_RAW_QOS",
        "with_sub_accts": "ASSOC_COND_FLAG_SUB_ACCTS",
        "without_parent_info": "ASSOC_COND_FLAG_WOPI",
        "without_parent_limits": "ASSOC_COND_FLAG_WOPL"},
    "slurmdb_qos_cond_t": {"with_deleted": "QOS_COND_FLAG_WITH_DELETED"},
} if hasattr(lib, "QOS_COND_FLAG_WITH_DELETED") else {}


def new(ctype: str, members: dict):
    """ffi.new(ctype, members), its flag members set as the release keeps them."""
    bits = _BITS.get(ctype.rstrip(" *"), {})
    cond = ffi.new(ctype, {k: v for k, v in members.items() if k not in bits})
    for member in bits.keys() & members.keys():
        if members[member]:
            cond.flags |= getattr(lib, bits[member])
    return cond


def set_flag(cond, member: str) -> None:
    """Set the flag `member` (22.05's name) of the condition `cond` points to."""
    bit = _BITS.get(ffi.typeof(cond).item.cname, {}).get(member)
    if bit is None:
        setattr(cond, member, 1)
    else:
        cond.flags |= getattr(lib, bit)
