"""A dock that belongs to one tab: shown beside it only, as the user last chose there.

The ideas backlog feeds the calendar (ideas are dragged onto it); on the Personas, SLAs,
Review and Team tabs it would only take room. Leaving its tab hides the dock without
forgetting the user's choice; coming back shows it again if the user had it open. Turning
it on from the View menu on another tab opens its tab.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from smarketing_desktop.gui.settings import Option


class TabDock(QObject):
    """Keeps ``dock`` visible only while ``tab`` is the current page of ``tabs``.

    Args:
        dock: The dock widget.
        tabs: The window's tabs.
        tab: The page the dock belongs to.
        shown: Where the user's choice (shown beside its tab or not) is kept.
    """

    def __init__(
        self, dock: QDockWidget, tabs: QTabWidget, tab: QWidget, shown: Option[bool]
    ) -> None:
        super().__init__(dock)
        self.dock, self.tabs, self.tab, self.shown = dock, tabs, tab, shown
        dock.toggleViewAction().triggered.connect(self._toggled)
        dock.installEventFilter(self)
        tabs.currentChanged.connect(lambda _index: self.apply())
        self.apply()

    @property
    def on_its_tab(self) -> bool:
        return self.tabs.currentWidget() is self.tab

    def apply(self) -> None:
        """Show or hide the dock for the current tab (after a tab change or a restore)."""
        self.dock.setVisible(self.on_its_tab and self.shown.get())

    def show(self) -> None:
        """Show the dock (its tab is made current): the user asked for something in it."""
        self.shown.set(True)
        if not self.on_its_tab:
            self.tabs.setCurrentWidget(self.tab)
        self.apply()
        self.dock.raise_()

    def _toggled(self, on: bool) -> None:
        self.shown.set(on)
        if on and not self.on_its_tab:
            self.tabs.setCurrentWidget(self.tab)
        self.apply()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The dock's own close button: the user no longer wants it beside its tab.
        if watched is self.dock and event.type() == QEvent.Type.Close and self.on_its_tab:
            self.shown.set(False)
        return super().eventFilter(watched, event)
