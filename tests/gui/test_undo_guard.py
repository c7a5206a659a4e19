"""Undo and redo of SLA, conflict-rule, acknowledgement and publishing steps never
overwrite a change made meanwhile in another window: they are refused with a message.

"Another window" is the plan changed through the services while this window's undo
stack still holds the step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from smarketing_desktop.domain.conflict_rules import BUILTIN_RULES, RuleConfig
from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.gui.conflict_rules import ChangeRules
from smarketing_desktop.gui.conflicts_dock import AcknowledgeConflict, UnacknowledgeConflict
from smarketing_desktop.gui.ical_publish import SetPublishSettings
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import conflicts as conflict_service
from smarketing_desktop.services import slas as sla_service
from smarketing_desktop.services.publish import (
    PublishSettings,
    get_publish_settings,
    set_publish_settings,
)

SLA_ID = "joint-sla"


def refused(boxes) -> bool:
    return any(
        title == "Cannot undo or redo that" and "changed in another window" in text
        for _kind, title, text in boxes.shown
    )


def sorted_rules(rules: list[RuleConfig]) -> list[RuleConfig]:
    return sorted(rules, key=lambda rule: rule.rule_id)


def stored_rules(window: MainWindow) -> list[RuleConfig]:
    return sorted_rules(conflict_service.rule_settings(window.plan))


def test_an_sla_edit_is_not_undone_over_a_change_made_elsewhere(
    qtbot, window: MainWindow, boxes
) -> None:
    window.tabs.setCurrentWidget(window.slas)
    title = window.slas.editor.title_edit
    title.setFocus()
    title.end(False)
    qtbot.keyClicks(title, " 2027")
    qtbot.keyClick(title, Qt.Key.Key_Tab)
    assert sla_service.get_sla(window.plan, SLA_ID)["title"].endswith(" 2027")
    elsewhere = sla_service.get_sla(window.plan, SLA_ID)
    sla_service.save_sla(window.plan, {**elsewhere, "escalation": "Call the CEO"})
    window.undo_action.trigger()
    assert refused(boxes)
    stored = sla_service.get_sla(window.plan, SLA_ID)
    assert stored["escalation"] == "Call the CEO" and stored["title"].endswith(" 2027")


def test_an_sla_edit_undone_and_redone_when_nothing_else_changed(
    qtbot, window: MainWindow, boxes
) -> None:
    window.tabs.setCurrentWidget(window.slas)
    before = sla_service.get_sla(window.plan, SLA_ID)["title"]
    title = window.slas.editor.title_edit
    title.setFocus()
    qtbot.keyClicks(title, "!")
    qtbot.keyClick(title, Qt.Key.Key_Tab)
    window.undo_action.trigger()
    assert sla_service.get_sla(window.plan, SLA_ID)["title"] == before
    window.redo_action.trigger()
    assert sla_service.get_sla(window.plan, SLA_ID)["title"] != before
    window.undo_action.trigger()
    sla_service.save_sla(
        window.plan, {**sla_service.get_sla(window.plan, SLA_ID), "escalation": "Elsewhere"}
    )
    window.redo_action.trigger()  # the redo would throw "Elsewhere" away
    assert refused(boxes)
    assert sla_service.get_sla(window.plan, SLA_ID)["escalation"] == "Elsewhere"


def test_deleting_an_sla_is_not_redone_over_a_change_made_elsewhere(
    window: MainWindow, boxes
) -> None:
    window.tabs.setCurrentWidget(window.slas)
    window.slas.delete_current()
    window.undo_action.trigger()
    sla_service.save_sla(
        window.plan, {**sla_service.get_sla(window.plan, SLA_ID), "title": "Edited elsewhere"}
    )
    window.redo_action.trigger()
    assert refused(boxes)
    assert sla_service.get_sla(window.plan, SLA_ID)["title"] == "Edited elsewhere"


def test_conflict_rules_are_not_undone_over_a_change_made_elsewhere(
    window: MainWindow, boxes
) -> None:
    context = window.context
    before = conflict_service.rule_settings(window.plan)
    after = [RuleConfig(BUILTIN_RULES[0].id, enabled=False)]
    assert context.execute(ChangeRules(context, before, after))
    elsewhere = [RuleConfig(rule.id, enabled=False) for rule in BUILTIN_RULES]
    conflict_service.save_rule_settings(window.plan, elsewhere)
    window.undo_action.trigger()
    assert refused(boxes)
    assert stored_rules(window) == sorted_rules(elsewhere)


def test_conflict_rules_undo_and_redo_when_nothing_else_changed(window: MainWindow, boxes) -> None:
    context = window.context
    before = conflict_service.rule_settings(window.plan)
    after = [RuleConfig(rule.id, enabled=False) for rule in BUILTIN_RULES]
    assert context.execute(ChangeRules(context, before, after))
    window.undo_action.trigger()
    assert conflict_service.rule_settings(window.plan) == before
    window.redo_action.trigger()
    assert stored_rules(window) == sorted_rules(after)
    assert not refused(boxes)


def test_an_acknowledgement_is_not_undone_over_a_new_note(window: MainWindow, boxes) -> None:
    context = window.context
    monitor = window.conflicts.monitor
    conflict = next(c for c in monitor.conflicts() if monitor.acknowledgement(c) is None)
    assert context.execute(AcknowledgeConflict(context, conflict, "Agreed", None))
    conflict_service.acknowledge(window.plan, conflict, "A new note from another window")
    window.undo_action.trigger()
    assert refused(boxes)
    notes = [a.note for a in conflict_service.acknowledgements(window.plan).values()]
    assert "A new note from another window" in notes


def test_taking_back_is_not_redone_over_a_new_note(window: MainWindow, boxes) -> None:
    context = window.context
    monitor = window.conflicts.monitor
    conflict = next(c for c in monitor.conflicts() if monitor.acknowledgement(c) is None)
    ack = conflict_service.acknowledge(window.plan, conflict, "First")
    assert context.execute(UnacknowledgeConflict(context, ack))
    window.undo_action.trigger()
    assert not refused(boxes)
    conflict_service.acknowledge(window.plan, conflict, "Second, from another window")
    window.redo_action.trigger()
    assert refused(boxes)
    stored = conflict_service.acknowledgements(window.plan)[ack.digest]
    assert stored.note == "Second, from another window"


def test_publishing_is_not_undone_over_a_change_made_elsewhere(
    window: MainWindow, boxes, tmp_path: Path
) -> None:
    context = window.context
    mine = PublishSettings(tmp_path / "mine.ics", ItemFilter())
    assert context.execute(SetPublishSettings(context, None, mine))
    theirs = PublishSettings(tmp_path / "theirs.ics", ItemFilter())
    set_publish_settings(window.plan, theirs)
    window.undo_action.trigger()
    assert refused(boxes)
    stored = get_publish_settings(window.plan)
    assert stored is not None and stored.path.name == "theirs.ics"


def test_publishing_undo_and_redo_when_nothing_else_changed(
    window: MainWindow, boxes, tmp_path: Path
) -> None:
    context = window.context
    mine = PublishSettings(tmp_path / "mine.ics", ItemFilter())
    assert context.execute(SetPublishSettings(context, None, mine))
    window.undo_action.trigger()
    assert get_publish_settings(window.plan) is None
    window.redo_action.trigger()
    stored = get_publish_settings(window.plan)
    assert stored is not None and stored.path.name == "mine.ics" and not refused(boxes)
