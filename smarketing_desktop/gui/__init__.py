"""The Qt user interface: the only part of the app that imports Qt."""
