"""Mission Control's Python SDK: ``from mission_control import MissionControl``."""

from .client import MissionControl
from .errors import MissionControlError
from .pagination import PageIterator
from .transport import RetryOptions

__all__ = ["MissionControl", "MissionControlError", "PageIterator", "RetryOptions"]
__version__ = "0.1.0"
