"""GET /slurm/v0.0.40/ping/ and /licenses/ (v0.0.41 serves the same)."""
from __future__ import annotations

from .. import slurm
from ..envelope import response_40
from ..kinds import NUMBER_OBJECTS, U64
from ..routes import Operation
from ..schema import ArrayOf, Bool, CStr, Field, Int, Obj, Scalar, Str
from ..slurm import lib
from ..v0_0_38.diag import UP_DOWN, ping_operation

_INT32 = Scalar("integer", "int32")

PING = Obj("controller_ping", [
    Field("hostname", Str, description="Target for ping"),
    Field("pinged", Str, UP_DOWN, "Ping result"),
    Field("latency", Int, description="Number of microseconds it took to successfully ping "
                                      "or timeout"),
    Field("mode", Str, description="The operating mode of the responding slurmctld"),
])


def pings(obj: Obj) -> Obj:
    """The /ping response of `obj`."""
    return response_40("openapi_ping_array_resp", [
        Field("pings", ArrayOf("controller_ping_array", obj), description="pings")])


# What 22.05 does not keep (remote licenses' last reconciliation) reads 0.
LICENSE = Obj("license", [
    Field("LicenseName", CStr, "name", "Name of the license"),
    Field("Total", _INT32, "total", "Total number of licenses present"),
    Field("Used", _INT32, "in_use", "Number of licenses in use"),
    Field("Free", _INT32, "available", "Number of licenses currently available"),
    Field("Remote", Bool, "remote", "Indicates whether licenses are served by the database"),
    Field("Reserved", _INT32, "reserved", "Number of licenses reserved"),
    Field("LastConsumed", _INT32, lambda lic: 0, "Last known number of licenses that were "
          "consumed in the license manager (Remote Only)"),
    Field("LastDeficit", _INT32, lambda lic: 0,
          "Number of \"missing licenses\" from the cluster's perspective"),
    Field("LastUpdate", Int, lambda lic: 0,
          "When the license information was last updated (UNIX Timestamp)"),
])
LAST_UPDATE = NUMBER_OBJECTS[U64]
LICENSES = response_40("openapi_licenses_resp", [
    Field("licenses", ArrayOf("licenses", LICENSE), description="List of licenses"),
    Field("last_update", LAST_UPDATE, description="Time of last licenses change (UNIX timestamp)"),
])


def licenses(call) -> dict:
    with slurm.owned("slurm_load_licenses", lib.slurm_free_license_info_msg,
                     "license_info_msg_t",
                     lambda out: lib.slurm_load_licenses(0, out, 0)) as msg:
        return {"licenses": [LICENSE.read(msg.lic_array[i]) for i in range(msg.num_lic)],
                "last_update": LAST_UPDATE.converter()(msg.last_update)}


OPERATIONS = [
    Operation("GET", "licenses/", "get_licenses", "get all Slurm tracked license info", "slurm",
              licenses, LICENSES),
    ping_operation(PING, pings(PING), "ping/", "get_ping"),
]
