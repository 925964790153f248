"""The /slurmdb/v0.0.38 API (reads only): its operations, in document order."""
from .accounts import OPERATIONS as _ACCOUNTS
from .associations import OPERATIONS as _ASSOCIATIONS
from .clusters import OPERATIONS as _CLUSTERS
from .common import PLUGIN
from .config import OPERATIONS as _CONFIG
from .diag import OPERATIONS as _DIAG
from .jobs import OPERATIONS as _JOBS
from .qos import OPERATIONS as _QOS
from .tres import OPERATIONS as _TRES
from .users import OPERATIONS as _USERS
from .wckeys import OPERATIONS as _WCKEYS

OPERATIONS = [*_ACCOUNTS, *_ASSOCIATIONS, *_CLUSTERS, *_CONFIG, *_DIAG, *_JOBS, *_QOS, *_TRES,
              *_USERS, *_WCKEYS]
__all__ = ["OPERATIONS", "PLUGIN"]
