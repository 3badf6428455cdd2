"""The map dock's widgets: the view's page on an off-the-record profile with its web channel, and the toolbars."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget

from nibi_desk.gui.map.bridge import MapBridge
from nibi_desk.gui.map.interceptor import NetworkBlocker
from nibi_desk.gui.map.scheme import SCHEME, NibiSchemeHandler
from nibi_desk.gui.map.web_page import MapPage

CRS_CHOICES = (("WGS84", "WGS-84"), ("CGCS2000", "CGCS2000"), ("GCJ02", "GCJ-02"), ("BD09", "BD-09"))


def build_page(dock, state_provider=None) -> None:
    """Give ``dock.view`` (made first: a profile must outlive its pages) its page on an off-the-record profile with
    the nibi:// handler and the network blocker, and the web channel carrying the bridge ("nibi")."""
    dock.profile = QWebEngineProfile(dock)  # no storage name: off the record, nothing written to disk
    dock.profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    dock.profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    dock.handler = NibiSchemeHandler(dock.profile)
    dock.profile.installUrlSchemeHandler(SCHEME, dock.handler)
    dock.blocker = NetworkBlocker(dock.profile)
    dock.profile.setUrlRequestInterceptor(dock.blocker)
    dock.page = MapPage(dock.profile, dock.view)
    settings = dock.page.settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
    dock.view.setPage(dock.page)

    dock.bridge = MapBridge(dock.ctx, state_provider, dock)
    dock.channel = QWebChannel(dock.page)
    dock.channel.registerObject("nibi", dock.bridge)
    dock.page.setWebChannel(dock.channel)


def build_toolbars(dock) -> None:
    """Fill ``dock.toolbar`` (basemap chooser, open basemap, the tools' buttons) and ``dock.position_bar`` (go to a
    position, the info line), and put the tools' bar between the toolbars and the map. The words come with
    ``MapDock.retranslate``."""
    bar = dock.toolbar
    dock.basemap_label = QLabel()
    bar.addWidget(dock.basemap_label)
    dock.basemap_box = QComboBox()
    dock.basemap_box.setObjectName("basemapBox")
    dock.basemap_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    bar.addWidget(dock.basemap_box)
    dock.open_basemap_action = QAction(dock)
    dock.open_basemap_action.triggered.connect(lambda: dock.open_basemap())
    bar.addAction(dock.open_basemap_action)
    bar.addSeparator()
    dock.tools.add_buttons(bar)
    goto = QWidget()
    row = QHBoxLayout(goto)
    row.setContentsMargins(0, 0, 0, 0)
    dock.position_label = QLabel()
    row.addWidget(dock.position_label)
    dock.lon_edit, dock.lat_edit = QLineEdit(), QLineEdit()
    for edit in (dock.lon_edit, dock.lat_edit):
        edit.setMaximumWidth(130)
        edit.returnPressed.connect(dock.go_to_entered)
        row.addWidget(edit)
    dock.crs_box = QComboBox()
    dock.crs_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    dock.crs_box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    for key, label in CRS_CHOICES:
        dock.crs_box.addItem(label, key)
    row.addWidget(dock.crs_box)
    dock.go_button = QToolButton()
    dock.go_button.clicked.connect(dock.go_to_entered)
    row.addWidget(dock.go_button)
    goto.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    dock.position_bar.addWidget(goto)
    dock.position_bar.addSeparator()
    dock.info_label = QLabel()
    dock.info_label.setObjectName("mapInfo")
    dock.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    dock.position_bar.addWidget(dock.info_label)
    dock.widget().layout().insertWidget(2, dock.tools.bar)  # between the toolbars and the map
