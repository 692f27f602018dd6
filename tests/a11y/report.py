"""The two accessibility figures, gathered while the suite runs and printed at its end.

A pytest plugin (listed in tests/conftest.py): the browser tests add one axe result per page
state and size, the HTML check one vnu result per document."""

from dataclasses import dataclass, field

import pytest


@dataclass
class Figures:
    axe_runs: int = 0  # page states × sizes checked
    axe_violations: int = 0  # critical or serious rule violations
    vnu_documents: int = 0
    vnu_errors: int = 0
    vnu_run: bool = False
    states: set[str] = field(default_factory=set)


FIGURES = Figures()


def record_axe(state: str, violations: int) -> None:
    FIGURES.axe_runs += 1
    FIGURES.axe_violations += violations
    FIGURES.states.add(state)


def record_vnu(documents: int, errors: int) -> None:
    FIGURES.vnu_run = True
    FIGURES.vnu_documents += documents
    FIGURES.vnu_errors += errors


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    figures = FIGURES
    terminalreporter.section("accessibility and HTML validity")
    if figures.axe_runs:
        terminalreporter.line(
            f"axe-core: {figures.axe_violations} critical/serious violations "
            f"({len(figures.states)} page states, {figures.axe_runs} runs at 1280×900 and 390×844)"
        )
    else:
        terminalreporter.line("axe-core: not run (no browser test ran)")
    if figures.vnu_run:
        terminalreporter.line(
            f"vnu: {figures.vnu_errors} errors ({figures.vnu_documents} documents)"
        )
    else:
        terminalreporter.line("vnu: not run")
