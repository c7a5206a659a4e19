"""The Review tab driven like a user: period, filters, results typed into cells, comparison,
retrospectives and exports; checked on screen and in the plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton

from smarketing_desktop.domain.review import GoalResult, Outcome, Retrospective
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.gui import background, review_tab, settings
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.resources import stylesheet
from smarketing_desktop.gui.review_models import (
    ACTUAL,
    CAMPAIGN,
    COLUMNS,
    KIND,
    METRIC,
    RESULT,
    TARGET,
    ComparisonModel,
    PersonaReachModel,
    ReviewFilter,
    ReviewModel,
    TeamQuarterModel,
)
from smarketing_desktop.gui.review_tab import ReviewTab
from smarketing_desktop.services.review import enter_result, review_campaigns, save_retrospective
from smarketing_desktop.store.planfile import Plan, create_plan

TODAY = dt.date.today()
# The demo plan lies around today (six weeks back, seven ahead); this range holds all of it.
SPAN = (TODAY - dt.timedelta(days=70), TODAY + dt.timedelta(days=70))


@pytest.fixture
def review(qtbot, window: MainWindow) -> ReviewTab:
    window.tabs.setCurrentWidget(window.review)
    window.review.period.set_range(*SPAN)
    choose_entered_by(window.review, "Lena Novak")
    return window.review


def shown(tab: ReviewTab, column: int) -> list[str]:
    return [tab.proxy.index(row, column).data() for row in range(tab.proxy.rowCount())]


def row_of(tab: ReviewTab, metric: str, title: str | None = None) -> int:
    for row in range(tab.proxy.rowCount()):
        if tab.proxy.index(row, METRIC).data().startswith(metric) and (
            title is None or tab.proxy.index(row, CAMPAIGN).data() == title
        ):
            return row
    raise AssertionError(f"no row for {metric!r}")


def stored_goal(plan: Plan, title: str, metric: str):
    for campaign in review_campaigns(plan, *SPAN):
        for goal in campaign.goals:
            if campaign.title == title and goal.metric == metric:
                return goal
    raise AssertionError(f"no goal {metric!r} of {title!r}")


def cell_centre(tab: ReviewTab, row: int, column: int) -> QPoint:
    index = tab.proxy.index(row, column)
    tab.table.scrollTo(index)
    return tab.table.visualRect(index).center()


def open_editor(qtbot, tab: ReviewTab, row: int, column: int = ACTUAL) -> QLineEdit:
    # An entry is stored once the editor has closed (the next turn of the event loop);
    # a person's next double-click always comes after that.
    QApplication.processEvents()
    viewport = tab.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=cell_centre(tab, row, column))
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=cell_centre(tab, row, column))
    return visible_editor(qtbot, tab)


def visible_editor(qtbot, tab: ReviewTab) -> QLineEdit:
    """The open Actual editor (closed ones linger until Qt deletes them)."""

    def editors() -> list[QLineEdit]:
        found = tab.table.viewport().findChildren(QLineEdit, "actualEditor")
        return [editor for editor in found if editor.isVisible()]

    qtbot.waitUntil(lambda: len(editors()) == 1)
    return editors()[0]


def choose_entered_by(tab: ReviewTab, name: str) -> None:
    combo = tab.entered_by
    index = next(n for n in range(combo.count()) if combo.itemText(n).startswith(name))
    combo.setCurrentIndex(index)


def test_review_tab_sits_between_slas_and_team(window: MainWindow) -> None:
    names = [window.tabs.tabText(n) for n in range(window.tabs.count())]
    assert names.index("Review") == names.index("SLAs") + 1 == names.index("Team") - 1
    assert not window.tabs.tabIcon(names.index("Review")).isNull()


def test_campaigns_of_the_period_with_their_goals(qtbot, review: ReviewTab) -> None:
    titles = set(shown(review, CAMPAIGN))
    assert {
        "Quarter kickoff email",
        "Logistics World Summit",
        "Upgrade offer: 20% off Line Monitor",
    } <= titles
    # Meetings, holidays, cancelled items and ideas are not reviewed.
    assert not titles & {"Pipeline sync (sales + marketing)", "Print ad in Plant Engineering"}
    kinds = set(shown(review, KIND))
    assert kinds <= {
        "Email campaign",
        "Promotion",
        "Ad campaign",
        "Webinar",
        "Product launch",
        "Tradeshow",
        "Blog post",
        "Social post",
    }
    row = row_of(review, "hours to first follow-up")
    assert review.proxy.index(row, TARGET).data() == "≤ 24"
    assert review.proxy.index(row, ACTUAL).data() == "30"
    assert review.proxy.index(row, RESULT).data() == "✗ Missed"
    assert review.proxy.index(row, METRIC).data().endswith("↓")
    assert "Lower is better" in review.proxy.index(row, METRIC).data(Qt.ItemDataRole.ToolTipRole)
    assert review.proxy.index(row_of(review, "opens"), RESULT).data() == "✓ Met"
    assert review.proxy.index(row_of(review, "MQLs"), RESULT).data() == "… Pending"
    assert "met" in review.summary.text() and "campaigns" in review.summary.text()
    # A period without campaigns says so instead of showing an empty table.
    review.period.set_range(dt.date(1990, 1, 5), dt.date(1990, 2, 20))
    assert review.model.rowCount() == 0 and review.content.currentWidget() is review.empty
    assert "1990-01-05 to 1990-02-20" in review.empty.title.text()
    review.period.set_key("this-quarter")
    assert review.period.period()[0] <= TODAY <= review.period.period()[1]
    assert settings.REVIEW_PERIOD.get() == "this-quarter"


def test_type_a_result_into_the_cell_then_undo_and_redo(
    qtbot, window: MainWindow, review: ReviewTab
) -> None:
    choose_entered_by(review, "Jonas Weber")
    row = row_of(review, "MQLs")
    editor = open_editor(qtbot, review, row, CAMPAIGN)  # a double-click anywhere edits the result
    assert editor.text() == "" and editor.placeholderText()
    qtbot.keyClicks(editor, "96")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    title = "LinkedIn ads: operations leaders"
    qtbot.waitUntil(lambda: stored_goal(window.plan, title, "MQLs").actual == 96)
    goal = stored_goal(window.plan, title, "MQLs")
    assert goal.result == GoalResult(96.0, "Jonas Weber", TODAY)
    row = row_of(review, "MQLs")
    assert review.proxy.index(row, ACTUAL).data() == "96"
    assert review.proxy.index(row, RESULT).data() == "✗ Missed"  # 96 of 120
    assert window.undo_action.text() == "&Undo Enter result of “MQLs”"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_goal(window.plan, title, "MQLs").result == GoalResult()
    assert review.proxy.index(row_of(review, "MQLs"), ACTUAL).data() == ""
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored_goal(window.plan, title, "MQLs").result == GoalResult(96.0, "Jonas Weber", TODAY)


def test_a_result_needs_who_entered_it(qtbot, window: MainWindow, review: ReviewTab, boxes) -> None:
    review.entered_by.setCurrentIndex(-1)
    row = row_of(review, "MQLs")
    editor = open_editor(qtbot, review, row)
    qtbot.keyClicks(editor, "12,5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    _kind, title, text = boxes.shown[-1]
    assert title == "Who is entering results?" and "12,5" in text
    assert stored_goal(window.plan, "LinkedIn ads: operations leaders", "MQLs").actual is None
    assert window.context.undo_stack.count() == 0
    choose_entered_by(review, "Jonas Weber")
    editor = open_editor(qtbot, review, row_of(review, "MQLs"))
    qtbot.keyClicks(editor, "12,5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    title = "LinkedIn ads: operations leaders"
    qtbot.waitUntil(lambda: stored_goal(window.plan, title, "MQLs").actual == 12.5)
    assert stored_goal(window.plan, title, "MQLs").result.results_by == "Jonas Weber"


def test_exactly_on_target_is_met_and_lower_is_better_counts_down(
    qtbot, window: MainWindow, review: ReviewTab
) -> None:
    for metric, text, expected in (
        ("upgrade deals", "30", "✓ Met"),  # exactly the target
        ("revenue ($k)", "4,49.5", None),  # refused: not a number
        ("revenue ($k)", "449.5", "✗ Missed"),
        ("cost per MQL ($)", "86", "✗ Missed"),  # lower is better: 86 > 85
        ("cost per MQL ($)", "85", "✓ Met"),
    ):
        editor = open_editor(qtbot, review, row_of(review, metric))
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        if expected:
            qtbot.waitUntil(
                lambda m=metric, e=expected: (
                    review.proxy.index(row_of(review, m), RESULT).data() == e
                )
            )
    assert (
        stored_goal(window.plan, "Upgrade offer: 20% off Line Monitor", "revenue ($k)").actual
        == 449.5
    )


def test_f2_and_bad_input_get_a_clear_message_and_change_nothing(
    qtbot, window: MainWindow, review: ReviewTab, boxes
) -> None:
    before = plan_json.export_plan(window.plan)
    row = row_of(review, "opens")
    qtbot.mouseClick(
        review.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(review, row, METRIC)
    )
    qtbot.keyClick(review.table, Qt.Key.Key_F2)
    editor = visible_editor(qtbot, review)
    assert editor.text() == "4630"  # plain, so it reads back unchanged
    editor.selectAll()
    qtbot.keyClicks(editor, '=HYPERLINK("x")')
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    kind, title, text = boxes.shown[-1]
    assert (kind, title) == ("warning", "Not a number")
    assert '“=HYPERLINK("x")” is not a number' in text
    assert plan_json.export_plan(window.plan) == before
    assert window.context.undo_stack.count() == 0
    assert review.proxy.index(row_of(review, "opens"), ACTUAL).data() == "4,630"


def test_an_empty_cell_clears_the_result(qtbot, window: MainWindow, review: ReviewTab) -> None:
    editor = open_editor(qtbot, review, row_of(review, "opens"))
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: stored_goal(window.plan, "Quarter kickoff email", "opens").actual is None
    )
    assert stored_goal(window.plan, "Quarter kickoff email", "opens").result == GoalResult()
    row = row_of(review, "opens")
    assert review.proxy.index(row, RESULT).data() == "… Pending"
    window.undo_action.trigger()
    restored = stored_goal(window.plan, "Quarter kickoff email", "opens")
    assert restored.actual == 4630 and restored.results_by == "Jonas Weber"


def test_a_result_changed_elsewhere_is_not_overwritten(
    qtbot, window: MainWindow, review: ReviewTab, boxes
) -> None:
    row = row_of(review, "MQLs")
    seen = review.model.rows[review.proxy.mapToSource(review.proxy.index(row, 0)).row()]
    # Another window enters the result after this one read the plan.
    enter_result(
        window.plan,
        uid=seen.uid,
        position=seen.position,
        metric="MQLs",
        result=GoalResult(101, "Ted Okafor", TODAY),
        previous=GoalResult(),
    )
    assert not review.enter_result(seen, "99")
    assert "changed in another window" in boxes.texts()
    assert stored_goal(window.plan, seen.title, "MQLs").actual == 101
    assert review.proxy.index(row_of(review, "MQLs"), ACTUAL).data() == "101"  # refreshed


def test_results_entered_by_is_remembered(qtbot, plan: Plan, window: MainWindow) -> None:
    choose_entered_by(window.review, "Lena Novak")
    assert settings.RESULTS_ENTERED_BY.get() == "lena"
    window.close()
    again = MainWindow(plan)
    qtbot.addWidget(again)
    assert again.review.entered_by.currentText().startswith("Lena Novak")
    assert again.review.entered_by_name() == "Lena Novak"


def test_filters_and_sorting(qtbot, review: ReviewTab) -> None:
    total = review.proxy.rowCount()
    review.team_filter.setCurrentIndex(review.team_filter.findData("sales"))
    assert set(shown(review, 3)) == {"Sales"} and review.proxy.rowCount() < total
    assert f"{review.proxy.rowCount()} shown" in review.summary.text()
    review.team_filter.setCurrentIndex(0)
    content = next(
        n
        for n in range(review.kind_filter.count())
        if review.kind_filter.itemText(n).startswith("Content")
    )
    review.kind_filter.setCurrentIndex(content)
    assert set(shown(review, KIND)) == {"Blog post"}
    review.kind_filter.setCurrentIndex(0)
    review.outcome_filter.setCurrentIndex(review.outcome_filter.findData(Outcome.MISSED))
    assert set(shown(review, RESULT)) == {"✗ Missed"}
    review.outcome_filter.setCurrentIndex(0)
    qtbot.keyClicks(review.search, "olivia KICKOFF")  # persona and title words, any case
    assert set(shown(review, CAMPAIGN)) == {"Quarter kickoff email"}
    review.search.clear()
    assert review.proxy.rowCount() == total
    # Sorting by clicking headers: numbers as numbers, results by outcome.
    header = review.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(ACTUAL) + 20, 10),
    )
    actuals = [
        review.model.rows[review.proxy.mapToSource(review.proxy.index(r, 0)).row()].actual
        for r in range(total)
    ]
    numbers = [a for a in actuals if a is not None]
    assert numbers == sorted(numbers) and actuals[: actuals.count(None)] == [None] * actuals.count(
        None
    )
    review.table.sortByColumn(RESULT, Qt.SortOrder.AscendingOrder)
    results = shown(review, RESULT)
    assert results.index("✗ Missed") < results.index("… Pending") < results.index("✓ Met")


def test_compare_two_campaigns_side_by_side(qtbot, review: ReviewTab) -> None:
    viewport = review.table.viewport()
    first = row_of(review, "qualified leads", "Logistics World Summit")
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=cell_centre(review, first, CAMPAIGN))
    assert review.pages.tabText(0) == "Compare"
    second = row_of(review, "qualified leads", "Industrial Automation Expo")
    qtbot.mouseClick(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        cell_centre(review, second, CAMPAIGN),
    )
    assert [c.title for c in review.selected_campaigns()] == [
        "Logistics World Summit",
        "Industrial Automation Expo",
    ]
    assert review.pages.tabText(0) == "Compare 2"
    model = review.comparison
    assert [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())] == [
        "Metric",
        "1  Logistics World Summit",
        "2  Industrial Automation Expo",
    ]
    table = {
        model.index(r, 0).data(): [model.index(r, c).data() for c in (1, 2)]
        for r in range(model.rowCount())
    }
    assert table["qualified leads · Sales"] == ["✓ 71 of 60", "… open, target 150"]
    assert table["hours to first follow-up · Sales  ↓"] == ["✗ 30 of ≤ 24", "not measured"]
    assert table["booth scans · Marketing"] == ["not measured", "… open, target 600"]
    # The chart: a panel per metric, a target bar per goal, an actual bar per result.
    chart = review.chart.layout_
    assert [p.group.metric for p in chart.panels] == [
        "qualified leads",
        "hours to first follow-up",
        "booth scans",
    ]
    assert sorted((b.campaign, b.goal.metric, b.role) for b in chart.bars) == sorted(
        [
            (1, "qualified leads", "target"),
            (1, "qualified leads", "actual"),
            (1, "hours to first follow-up", "target"),
            (1, "hours to first follow-up", "actual"),
            (2, "qualified leads", "target"),
            (2, "booth scans", "target"),
        ]
    )
    assert review.chart.minimumHeight() >= chart.height
    assert not review.chart_note.isVisible()
    review.chart.grab()  # paints without Qt warnings (which fail the test)
    # Hovering a bar names it.
    bar = chart.bars[1]
    assert (bar.campaign, bar.role) == (1, "actual")
    assert chart.bar_at(bar.x + bar.width / 2, bar.y + bar.height / 2) == bar


def test_many_chosen_campaigns_chart_twelve_and_say_so(qtbot, tmp_path: Path) -> None:
    plan = create_plan(tmp_path / "many.smplan")
    items = [
        {
            "uid": f"c{n}@x",
            "title": f"Campaign {n}",
            "kind": "email_campaign",
            "start": (TODAY - dt.timedelta(days=n)).isoformat(),
            "goals": [{"team": "marketing", "metric": "opens", "target": 100, "actual": n * 10}],
        }
        for n in range(14)
    ]
    plan_json.import_plan(
        plan, json.dumps({"format": "smarketing-plan", "version": 1, "items": items})
    )
    window = MainWindow(plan)
    qtbot.addWidget(window)
    window.show()
    review = window.review
    review.period.set_range(*SPAN)
    review.table.selectAll()
    assert len(review.selected_campaigns()) == 14
    assert len(review.chart.campaigns) == 12 and review.comparison.columnCount() == 15
    assert len(review.chart.layout_.bars) == 24
    assert "first 12 of 14 chosen campaigns" in review.chart_note.text()
    review.table.clearSelection()
    assert review.chart_note.text() == ""
    plan.close()


def test_retrospective_typed_in_the_tab_is_saved_on_leaving_and_undoable(
    qtbot, window: MainWindow, review: ReviewTab
) -> None:
    review.pages.setCurrentWidget(review.retrospective)
    row = row_of(review, "MQLs")
    qtbot.mouseClick(
        review.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(review, row, CAMPAIGN)
    )
    editor = review.retrospective
    assert "LinkedIn ads: operations leaders" in editor.title.text() and editor.form.isEnabled()
    fields = editor.fields["sales"]
    qtbot.mouseClick(fields.went_well.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(fields.went_well, "Leads <b>named</b> & ready")
    qtbot.mouseClick(fields.author.lineEdit(), Qt.MouseButton.LeftButton)  # leaving the field saves
    title = "LinkedIn ads: operations leaders"

    def sales_note():
        return next(
            c for c in review_campaigns(window.plan, *SPAN) if c.title == title
        ).retrospective("sales")

    qtbot.waitUntil(lambda: sales_note().went_well == "Leads <b>named</b> & ready")
    qtbot.keyClicks(fields.author.lineEdit(), "Ted Okafor")
    qtbot.mouseClick(
        review.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(review, row, CAMPAIGN)
    )
    qtbot.waitUntil(lambda: sales_note().author == "Ted Okafor")
    assert sales_note() == Retrospective("sales", "Leads <b>named</b> & ready", "", "Ted Okafor")
    assert window.context.undo_stack.count() == 2
    assert window.undo_action.text().startswith("&Undo Edit sales retrospective of")
    window.undo_action.trigger()
    assert sales_note().author == "" and fields.author.currentText() == ""
    window.undo_action.trigger()
    assert sales_note() == Retrospective("sales") and fields.went_well.toPlainText() == ""
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert sales_note().author == "Ted Okafor"
    assert fields.went_well.toPlainText() == "Leads <b>named</b> & ready"
    # Another campaign shows its own notes; the demo's tradeshow has both teams'.
    other = row_of(review, "qualified leads", "Logistics World Summit")
    qtbot.mouseClick(
        review.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(review, other, CAMPAIGN)
    )
    assert "CRM" in editor.fields["sales"].to_change.toPlainText()
    assert editor.fields["marketing"].author.currentText() == "Martha Diaz"


def test_typing_moves_with_the_campaign_that_was_being_written(
    qtbot, window: MainWindow, review: ReviewTab
) -> None:
    """Picking another campaign with the keyboard saves what was typed for the first one."""
    review.pages.setCurrentWidget(review.retrospective)
    review.select_campaigns(["upgrade-promo@demo.smarketing"])
    review.table.setCurrentIndex(review.proxy.index(row_of(review, "upgrade deals"), CAMPAIGN))
    fields = review.retrospective.fields["marketing"]
    fields.to_change.setPlainText("Shorter landing page")
    review.table.setCurrentIndex(review.proxy.index(row_of(review, "opens"), CAMPAIGN))
    qtbot.waitUntil(
        lambda: (
            next(
                c
                for c in review_campaigns(window.plan, *SPAN)
                if c.uid == "upgrade-promo@demo.smarketing"
            )
            .retrospective("marketing")
            .to_change
            == "Shorter landing page"
        )
    )
    assert "Quarter kickoff email" in review.retrospective.title.text()


def test_summary_per_team_quarter_and_persona(review: ReviewTab) -> None:
    quarters = review.quarters
    rows = [
        [quarters.item(r, c).text() for c in range(quarters.columnCount())]
        for r in range(quarters.rowCount())
    ]
    assert any(row[1] == "Sales" and "met" in row[2] for row in rows)
    reach = review.reach
    personas = [reach.item(r, 0).text() for r in range(reach.rowCount())]
    assert any(p.startswith("IT Director Ian · ") for p in personas)
    ian = next(
        reach.item(r, 0)
        for r in range(reach.rowCount())
        if reach.item(r, 0).text().startswith("IT Director Ian")
    )
    children = [ian.child(n, 0).text() for n in range(ian.rowCount())]
    assert "Logistics World Summit" in children


def test_export_review_pdf_and_csv_from_the_file_menu(
    qtbot, window: MainWindow, review: ReviewTab, tmp_path: Path, monkeypatch
) -> None:
    save_retrospective(
        window.plan,
        uid="kickoff-email@demo.smarketing",
        note=Retrospective("joint", "One <b>voice</b> & one list", "", "Both teams"),
        previous=Retrospective("joint"),
    )
    review.select_campaigns(["logistics-world@demo.smarketing", "spring-expo@demo.smarketing"])
    answers = iter([str(tmp_path / "review"), str(tmp_path / "table.csv")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (next(answers), ""))
    with qtbot.waitSignal(review.exported, timeout=60_000):  # laid out off the GUI thread
        window.review_pdf_action.trigger()
    pdf = tmp_path / "review.pdf"  # the extension is added
    text = " ".join("".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split())
    for part in (
        "Campaign review",
        "Compared side by side",
        "1 Logistics World Summit",
        "2 Industrial Automation Expo",
        "✓ 71 of 60",
        "Retrospective",
        "Scan straight into the CRM next time.",
        "One <b>voice</b> & one list",
        "Lena Novak",
    ):
        assert part in text, part
    assert "Exported the campaign review" in window.statusBar().currentMessage()
    # The CSV is the table as shown: here only the missed goals.
    review.outcome_filter.setCurrentIndex(review.outcome_filter.findData(Outcome.MISSED))
    window.review_csv_action.trigger()
    table = list(csv.reader(io.StringIO((tmp_path / "table.csv").read_text("utf-8-sig"))))
    assert table[0][-3:] == ["Result", "Entered by", "Entered on"]
    assert {row[10] for row in table[1:]} == {"Missed"} and len(
        table
    ) - 1 == review.proxy.rowCount()
    assert "Exported" in window.statusBar().currentMessage()


def test_exports_can_be_cancelled(qtbot, window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not window.review.export_pdf() and not window.review.export_csv()
    # Cancelled while the PDF is being laid out: no file, and the user is told.
    review = window.review
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    # The first page waits for the click: on a fast machine the demo's few pages were
    # laid out before it, and the test raced the export.
    real_export = review_tab.export_review_pdf

    def slow_export(*args: object, on_page: Callable[[int], None], **kwargs: object) -> None:
        def waiting(page: int) -> None:
            assert review.job is not None
            review.job.task._stop.wait(30)
            on_page(page)

        real_export(*args, on_page=waiting, **kwargs)

    monkeypatch.setattr(review_tab, "export_review_pdf", slow_export)
    target = tmp_path / "cancelled.pdf"
    assert review.export_pdf(target)
    job = review.job
    assert job is not None and not review.export_pdf(target)  # one at a time
    qtbot.waitUntil(job.dialog.isVisible)
    with qtbot.waitSignal(job.cancelled, timeout=60_000):
        qtbot.mouseClick(job.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.job is None)
    assert not target.exists() and list(tmp_path.glob("*.pdf")) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_pdf_that_cannot_be_written_is_reported(
    qtbot, window: MainWindow, tmp_path: Path, boxes
) -> None:
    assert window.review.export_pdf(tmp_path)  # a folder, not a file
    qtbot.waitUntil(lambda: window.review.job is None, timeout=60_000)
    assert "Cannot export the review" in boxes.texts() and "is a folder" in boxes.texts()


HOSTILE = '<b>Bold</b> & <img src=x> =HYPERLINK("http://x")'


@pytest.fixture
def hostile_plan(tmp_path: Path):
    plan = create_plan(tmp_path / "hostile.smplan")
    document = {
        "format": "smarketing-plan",
        "version": 1,
        "personas": [{"id": "p", "name": "مدير العمليات"}],
        "items": [
            {
                "uid": "h@x",
                "title": HOSTILE,
                "kind": "webinar",
                "start": TODAY.isoformat(),
                "personas": ["p"],
                "goals": [
                    {
                        "team": "sales",
                        "metric": "Ω" * 120,
                        "target": 5,
                        "actual": 9,
                        "results_by": "<i>Zoë</i> 🎉",
                    },
                ],
                "retrospectives": [
                    {"team": "sales", "went_well": "<script>x</script>", "author": "李雷"}
                ],
            }
        ],
    }
    plan_json.import_plan(plan, json.dumps(document))
    yield plan
    plan.close()


def test_hostile_text_shows_literally(qtbot, hostile_plan: Plan, tmp_path: Path) -> None:
    window = MainWindow(hostile_plan)
    qtbot.addWidget(window)
    window.show()
    tab = window.review
    tab.period.set_range(*SPAN)
    index = tab.proxy.index(0, CAMPAIGN)
    assert index.data() == HOSTILE
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;img src=x&gt;" in tooltip and "<img" not in tooltip
    assert "مدير العمليات" in tooltip
    assert tab.proxy.index(0, METRIC).data() == "Ω" * 120
    assert tab.proxy.index(0, 8).data().startswith("<i>Zoë</i> 🎉")
    tab.select_campaigns(["h@x"])
    tab.pages.setCurrentWidget(tab.retrospective)
    assert tab.retrospective.fields["sales"].went_well.toPlainText() == "<script>x</script>"
    assert tab.retrospective.title.textFormat() == Qt.TextFormat.PlainText
    panel = tab.chart.layout_.panels[0]
    assert panel.title.endswith("…") and panel.x + panel.width <= tab.chart.layout_.width
    tab.export_csv(tmp_path / "h.csv")
    row = list(csv.reader(io.StringIO((tmp_path / "h.csv").read_text("utf-8-sig"))))[1]
    assert row[0] == HOSTILE and row[-2] == "<i>Zoë</i> 🎉"
    with qtbot.waitSignal(tab.exported, timeout=60_000):
        tab.export_pdf(tmp_path / "h.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "h.pdf").pages)
    assert "<b>Bold</b> & <img src=x>" in " ".join(text.split())


def test_models_pass_the_model_tester(qtmodeltester, review: ReviewTab) -> None:
    review.select_campaigns(["logistics-world@demo.smarketing", "kickoff-email@demo.smarketing"])
    for model in (review.model, review.proxy, review.comparison, review.quarters, review.reach):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    source = ReviewModel()
    proxy = ReviewFilter()
    proxy.setSourceModel(source)
    for empty in (source, proxy, ComparisonModel(), TeamQuarterModel(), PersonaReachModel()):
        qtmodeltester.check(empty)
    assert len(COLUMNS) == review.model.columnCount()


def test_the_focus_is_not_left_in_a_dead_editor(qtbot, review: ReviewTab) -> None:
    editor = open_editor(qtbot, review, row_of(review, "MQLs"))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # cancelled: nothing happens
    assert review.table.state() != review.table.State.EditingState
    assert QApplication.focusWidget() is review.table


def test_the_tab_reads_the_plan_only_when_shown(qtbot, window: MainWindow, monkeypatch) -> None:

    reads: list[tuple[dt.date, dt.date]] = []
    original = review_tab.review_campaigns
    monkeypatch.setattr(
        review_tab,
        "review_campaigns",
        lambda plan, first, last: reads.append((first, last)) or original(plan, first, last),
    )
    assert window.tabs.currentWidget() is not window.review
    assert window.review.model.rowCount() == 0  # nothing read at start-up
    window.context.changed.emit("items")  # a change elsewhere, while the tab is hidden
    assert reads == []
    window.tabs.setCurrentWidget(window.review)
    assert len(reads) == 1 and window.review.model.rowCount() > 0
    window.context.changed.emit("items")  # on screen: refreshed at once
    assert len(reads) == 2


@pytest.fixture
def styled(qtbot) -> Iterator[None]:
    """The app's own style sheet (its fonts and paddings decide the widths)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(stylesheet())
    yield
    app.setStyleSheet("")


def test_the_window_fits_a_1024_pixel_screen_with_a_custom_period(
    qtbot, styled, window: MainWindow, review: ReviewTab
) -> None:
    review.period.set_range(TODAY - dt.timedelta(days=70), TODAY + dt.timedelta(days=70))
    assert review.period.key == "custom"
    window.tabs.setCurrentWidget(window.calendar)
    assert window.backlog.isVisible()  # the widest case: the backlog beside the calendar
    assert window.minimumSizeHint().width() <= 1024
    window.tabs.setCurrentWidget(window.review)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert review.summary.text() and review.summary.width() > 0
    assert review.table.columnWidth(0) >= 150  # the campaign column stays readable
