"""Framework adapters over the SDK. Each module imports its framework only when asked to build with it."""

from .tools import MissionToolSet, mission_tools

__all__ = ["MissionToolSet", "mission_tools"]
