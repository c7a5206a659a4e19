"""Plan → Conflict rules…: built-in settings and your own rules, saved as one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from smarketing_desktop.gui.conflict_rules import RulesDialog, UserRulesModel, describe_user_rule
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import conflicts as service


def rules_of(window: MainWindow) -> dict[str, object]:
    return {c.rule_id: c for c in service.rule_settings(window.plan)}


def open_dialog(window: MainWindow) -> RulesDialog:
    assert window.conflicts.rules_action in window.plan_menu.actions()
    window.conflicts.rules_action.trigger()
    dialog = window.conflicts.rules_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    return dialog


def press_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def rule_titles(window: MainWindow) -> list[str]:
    model = window.conflicts.dock.model
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def test_the_dialog_shows_the_rules_with_their_defaults(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(window)
    assert all(box.isChecked() for box in dialog.boxes.values())
    assert dialog.fields["email-during-tradeshow", "buffer_after"].value() == 2
    assert dialog.fields["persona-fatigue", "max_items"].value() == 3
    assert dialog.fields["persona-fatigue", "window_days"].value() == 7
    assert dialog.fields["missing-signoff", "days"].value() == 14
    assert dialog.fields["persona-fatigue", "window_days"].minimum() == 1
    assert dialog.severities["owner-double-booked"].currentText() == "Default: error"
    # Nothing changed: OK closes without an undo step.
    depth = window.context.undo_stack.count()
    press_ok(qtbot, dialog)
    assert not dialog.dialog.isVisible() and window.context.undo_stack.count() == depth


def test_changing_rules_is_one_undoable_step(qtbot, window: MainWindow) -> None:
    assert rule_titles(window).count("Outbound work on a holiday") == 2
    dialog = open_dialog(window)
    holiday_box = dialog.boxes["blackout"]
    holiday_box.setChecked(False)  # the group box's own check box, as a click does
    email_severity = dialog.severities["email-during-tradeshow"]
    email_severity.setCurrentIndex(email_severity.findData("warning"))
    spin = dialog.fields["persona-fatigue", "max_items"]
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    press_ok(qtbot, dialog)
    stored = rules_of(window)
    assert set(stored) == {"blackout", "email-during-tradeshow", "persona-fatigue"}
    assert stored["blackout"].enabled is False
    assert stored["persona-fatigue"].params["max_items"] == 5
    assert rule_titles(window) == ["Email campaign during a tradeshow"]
    assert window.conflicts.count.text() == "1 warning"
    assert window.undo_action.text() == "&Undo Change conflict rules"
    window.undo_action.trigger()
    assert rules_of(window) == {}
    assert window.conflicts.count.text() == "1 error · 1 warning"
    window.redo_action.trigger()
    assert set(rules_of(window)) == {"blackout", "email-during-tradeshow", "persona-fatigue"}


def test_built_in_defaults_button(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(window)
    dialog.boxes["blackout"].setChecked(False)
    dialog.fields["missing-signoff", "days"].setValue(40)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults),
        Qt.MouseButton.LeftButton,
    )
    assert dialog.boxes["blackout"].isChecked()
    assert dialog.fields["missing-signoff", "days"].value() == 14
    assert dialog.dialog.isVisible()


def test_add_your_own_rule(qtbot, qtmodeltester, window: MainWindow) -> None:
    dialog = open_dialog(window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.user_dialog
    assert form is not None and form.dialog.isVisible()
    assert not form.ok_button.isEnabled()  # a rule needs a name
    qtbot.keyClicks(form.name, "No webinar in launch week")
    form.kind_a.setCurrentIndex(form.kind_a.findData("webinar"))
    form.kind_b.setCurrentIndex(form.kind_b.findData("product_launch"))
    form.before.selectAll()
    qtbot.keyClicks(form.before, "14")
    form.severity.setCurrentIndex(form.severity.findData("error"))
    assert form.summary.text() == (
        "Webinar must not overlap product launch or the 14 days before it: an error."
    )
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.user_model.rowCount() == 1
    assert dialog.user_model.index(0, 0).data() == "No webinar in launch week"
    qtmodeltester.check(dialog.user_model)
    press_ok(qtbot, dialog)
    stored = rules_of(window)["no-webinar-in-launch-week"]
    assert stored.user_defined and stored.severity == "error"
    assert stored.params["buffer_before"] == 14 and stored.params["kind_a"] == "webinar"
    # The demo's webinar is 13 days before its product launch: the new rule finds it.
    assert "No webinar in launch week" in rule_titles(window)
    assert window.conflicts.count.text() == "2 errors · 1 warning"


def test_your_rules_can_be_edited_and_removed(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(window)
    form = dialog.add_rule()
    qtbot.keyClicks(form.name, "Meetings apart")
    form.kind_a.setCurrentIndex(form.kind_a.findData("meeting"))
    form.kind_b.setCurrentIndex(form.kind_b.findData("meeting"))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    press_ok(qtbot, dialog)
    assert "meetings-apart" in rules_of(window)
    dialog = open_dialog(window)
    dialog.tabs.setCurrentIndex(1)
    view = dialog.user_view
    rect = view.visualRect(dialog.user_model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    form = dialog.user_dialog
    assert form.name.text() == "Meetings apart"
    form.enabled.setChecked(False)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.user_model.index(0, 3).data() == "Off"
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.user_model.rowCount() == 0
    press_ok(qtbot, dialog)
    assert "meetings-apart" not in rules_of(window)
    window.undo_action.trigger()
    assert rules_of(window)["meetings-apart"].enabled is True


def test_bad_names_are_explained_in_the_dialog(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(window)
    form = dialog.add_rule()
    qtbot.keyClicks(form.name, "Persona fatigue")
    assert not form.ok_button.isEnabled()
    assert form.problem.text() == "Another rule is already called “Persona fatigue”."
    form.name.clear()  # an empty new form is not nagged, but cannot be saved
    assert not form.ok_button.isEnabled() and form.problem.text() == ""
    qtbot.keyClicks(form.name, "  ")
    assert not form.ok_button.isEnabled() and "Give the rule a name" in form.problem.text()
    form.name.clear()
    hostile = "<b>Bold</b> & <img src=x> قاعدة " + "x" * 60
    qtbot.keyClicks(form.name, "<b>Bold</b> & <img src=x> ")
    form.name.insert(hostile.removeprefix("<b>Bold</b> & <img src=x> "))  # QTest types ASCII
    assert form.ok_button.isEnabled() and form.problem.text() == ""
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.user_model.index(0, 0).data() == hostile
    press_ok(qtbot, dialog)
    (mine,) = [c for c in rules_of(window).values() if c.user_defined]
    assert mine.params["name"] == hostile and mine.rule_id.startswith("b-bold-b-img-src-x")


def test_a_problem_found_on_saving_keeps_the_dialog_open(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(window)
    # Two of your rules by the same name (e.g. made in two sittings of the sub-dialog).
    for _ in range(2):
        form = dialog.add_rule()
        qtbot.keyClicks(form.name, "Twice")
        form.other_names.clear()
        form._check()
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    press_ok(qtbot, dialog)
    assert dialog.dialog.isVisible()
    assert dialog.problem.text() == "Your rule “Twice”: another rule is already called “Twice”."
    assert dialog.tabs.currentIndex() == 1
    assert rules_of(window) == {}


def test_rule_sentences() -> None:
    base = {"kind_a": "webinar", "kind_b": "webinar", "buffer_before": 0, "buffer_after": 1}
    assert describe_user_rule({**base, "min_impact": "big"}, None) == (
        "Webinar must not overlap another webinar or the 1 day after it, when the first has "
        "big impact: an error when the first is big, else a warning."
    )
    assert UserRulesModel().rowCount() == 0
