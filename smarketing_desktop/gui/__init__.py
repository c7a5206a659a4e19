"""The Qt user interface: the only part of the app that imports Qt."""

from smarketing_desktop.gui.qt_workarounds import keep_none_alive

keep_none_alive()
