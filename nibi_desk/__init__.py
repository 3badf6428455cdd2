"""NIBI Desk (新基建巡检台): offline registry and inspection of new-infrastructure assets."""

__version__ = "0.1.0"
