"""The registry browser: a lazy table of up to a million assets with search, filters, sorting and column choice."""

from nibi_desk.gui.browser.browser import RegistryBrowser
from nibi_desk.gui.browser.model import COLUMNS, AssetTableModel, Column

__all__ = ["RegistryBrowser", "AssetTableModel", "Column", "COLUMNS"]
