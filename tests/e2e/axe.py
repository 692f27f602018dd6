"""axe-core in the browser tests: `check(page, "state")` runs it on the page as it is now, at
desktop and phone size, and fails on any critical or serious violation.

axe.min.js is the pinned copy `make a11y-deps` installs (tests/a11y/); it is evaluated through
the DevTools protocol, which the page's Content-Security-Policy does not govern, so the page
needs no change to be checked. Rules: WCAG 2.1 A and AA, plus axe's best practices."""

from functools import cache

from playwright.sync_api import Page, expect

from tests.a11y.report import record_axe
from tests.a11y.tools import AXE_JS, require

SIZES = {"desktop 1280×900": (1280, 900), "phone 390×844": (390, 844)}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
GATED = {"critical", "serious"}

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + " — " + (n.failureSummary || "")),
  }));
}"""


@cache
def _axe_source() -> str:
    return require(AXE_JS).read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, object]]:
    """axe's critical and serious violations on the page at its current size."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;undefined")
    found: list[dict[str, object]] = page.evaluate(_RUN, TAGS)
    return [v for v in found if v["impact"] in GATED]


def check(page: Page, state: str) -> None:
    """Fail unless the page has no critical or serious axe violation at either size."""
    # A state is what the page shows once htmx has settled, not a request half-way.
    expect(page.locator(".htmx-request, .htmx-settling")).to_have_count(0)
    # Bootstrap's colour transitions (a hovered button fading in) end at once, so axe measures
    # the colours the state settles on.
    page.emulate_media(reduced_motion="reduce")
    original = page.viewport_size
    report: list[str] = []
    try:
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            found = violations(page)
            record_axe(state, len(found))
            for v in found:
                nodes = "\n      ".join(str(n) for n in v["nodes"])  # type: ignore[attr-defined]
                report.append(f"  [{size}] {v['id']} ({v['impact']}): {v['help']}\n      {nodes}")
    finally:
        if original is not None:
            page.set_viewport_size(original)
    assert not report, f"axe-core on {state!r} ({page.url}):\n" + "\n".join(report)


def small_targets(page: Page, selector: str, minimum: float = 24) -> list[str]:
    """The visible elements matching selector smaller than minimum×minimum CSS px (WCAG 2.5.8
    asks 24×24, or spacing that axe's target-size rule accepts instead; these get the size)."""
    small = []
    for element in page.locator(selector).all():
        box = element.bounding_box()
        if box and (box["width"] < minimum or box["height"] < minimum):
            small.append(f"{element.inner_text()!r}: {box['width']:.0f}×{box['height']:.0f}")
    return small
