"""The slurmctld controllers of slurm.conf, pinged: what every version's
/ping reports, read once into version-free records."""
from __future__ import annotations

import time

from . import slurm
from .errors import SlurmError, refused_credentials
from .slurm import lib


class Ping:
    """One controller's answer (Slurm 24.11's controller_ping_t)."""

    __slots__ = ("hostname", "status", "latency", "offset", "count")

    def __init__(self, hostname: str, status: int, latency: int, offset: int, count: int):
        self.hostname = hostname
        self.status = status  # slurm_ping's return: 0 when it answered
        self.latency = latency  # microseconds the ping took
        self.offset = offset  # its place in slurm.conf: 0 is the primary
        self.count = count  # how many controllers slurm.conf names

    @property
    def pinged(self) -> bool:
        return self.status == 0

    @property
    def mode(self) -> str:
        if self.offset == 0:
            return "primary"
        return "backup" if self.offset == 1 and self.count == 2 else f"backup{self.offset}"


def ping_all(token: bool) -> list[Ping]:
    """Ping every controller. `token`: the client authenticated with a JWT
    (a refused credential then fails the request instead of reading DOWN:
    the controller would not hear us either way)."""
    # The controller list comes from the slurm.conf libslurm already read:
    # one RPC per controller instead of an extra configuration RPC.
    conf = slurm.conf()
    pings = []
    for i in range(conf.control_cnt):
        start = time.monotonic_ns()
        status = lib.slurm_ping(i)
        latency = (time.monotonic_ns() - start) // 1000
        # 24.11 returns -1 and leaves the cause in errno; 22.05 returns it.
        cause = lib.slurm_get_errno() if status == -1 else status
        if status and refused_credentials(cause, token):
            raise SlurmError(cause, "slurm_ping")
        pings.append(Ping(slurm.text(conf.control_machine[i]), status, latency, i,
                          conf.control_cnt))
    return pings
