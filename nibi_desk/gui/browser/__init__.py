"""The registry browser: a lazy table of up to a million assets with search, filters, sorting and column choice."""

from nibi_desk.gui.browser.browser import RegistryBrowser
from nibi_desk.gui.browser.columns import COLUMNS, Column
from nibi_desk.gui.browser.model import AssetTableModel

__all__ = ["RegistryBrowser", "AssetTableModel", "Column", "COLUMNS"]
