"""In Chromium, every main page of every role (tests/e2e/main_pages.py):

- on a phone (390 × 844 px) no page is wider than the screen: wide tables scroll inside their own container;
- axe-core (npm package, `npm ci`) finds no WCAG 2.0/2.1 A or AA violation, on a desktop screen and on the phone.

Each test logs in as the role once, visits all its pages (one visit for the three checks: the document is laid out
again at the phone's width) and reports every failing page together. axe-core is read from node_modules/: without
it the axe test is skipped with the reason, or fails when REQUIRE_BROWSER=1 (as .ci/run sets), like a missing
Chromium (tests/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import demo_snapshot

from .conftest import log_in
from .main_pages import PAGES, ROLES, USERNAMES, make_user, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Besides the WCAG rules: best-practice rules that issue 10 reported (a <th> without text in the quadro grid).
AXE_EXTRA_RULES = ["empty-table-header"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Elements whose right edge passes the viewport and that no container clips or scrolls horizontally (overflow-x
# other than visible): those make the page wider than the screen. A container clips an absolutely positioned element
# (e.g. a .visually-hidden label) only if it contains the element's containing block, the nearest positioned
# ancestor. Only the outermost such element of each branch is reported.
_OVERFLOW_JS = """(width) => {
  const positioned = (el) => {
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.position !== 'static' || cs.transform !== 'none') return a;
    }
    return null;
  };
  const clipped = (el) => {
    for (let cur = el; cur && cur !== document.documentElement;) {
      const position = getComputedStyle(cur).position;
      const next = position === 'fixed' ? null : position === 'absolute' ? positioned(cur) : cur.parentElement;
      if (!next || next === document.documentElement) return false;
      if (getComputedStyle(next).overflowX !== 'visible') return true;
      cur = next;
    }
    return false;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      s += '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.');
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return s + (text ? ` «${text}»` : '');
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= width + 0.5) continue;
    if (clipped(el)) continue;
    if (out.some((o) => o.el.contains(el))) continue;
    out.push({el, right: Math.round(r.right)});
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    offenders: out.slice(0, 8).map((o) => `${describe(o.el)} (bordo destro ${o.right} px)`),
  };
}"""

# After the web fonts and a frame: the scrolling tables have become focusable regions (static/js/portal.js).
_AXE_JS = """async ([tags, extra]) => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  // Only the violations are gathered (axe's resultTypes): the passes and incomplete checks are not needed here.
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 6).map((n) => n.target.join(' ')), count: v.nodes.length,
  }));
}"""


@pytest.fixture
def demo(db):
    demo_snapshot.load_demo()


@pytest.fixture
def axe_path():
    if not AXE.exists():
        reason = f"axe-core non installato ({AXE.relative_to(REPO)}): eseguire `npm ci` nella radice del progetto"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 ma {reason}", pytrace=False)
        pytest.skip(reason)
    return AXE


def visit(page, live_server, role: str, viewport: dict[str, int]):
    """Log in as the role (not for `anonimo`), then yield (key, path) after opening each of its pages in a window
    of `viewport`'s size."""
    if role != "anonimo":
        make_user(role)
        log_in(page, live_server, USERNAMES[role])
    for key, path in pages_for(role):
        page.set_viewport_size(viewport)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{role}: {path} ha risposto {response.status}"
        yield key, path


def _title(key: str, path: str) -> str:
    return f"{PAGES[key].title} ({path})"


def _overflow(page, key: str, path: str) -> str | None:
    """What makes the page wider than the phone's screen, or None."""
    found = page.evaluate(_OVERFLOW_JS, PHONE["width"])
    if found["scrollWidth"] <= PHONE["width"]:
        return None
    lines = "\n      ".join(found["offenders"]) or "(nessun elemento individuato)"
    return f"{_title(key, path)}: larga {found['scrollWidth']} px\n      {lines}"


def _with_axe(page, axe_path):
    """The page with axe-core loaded in every document it opens (one init script, not a script tag per page)."""
    page.add_init_script(path=str(axe_path))
    return page


def _axe_violations(page, key: str, path: str) -> list[str]:
    problems = []
    for v in page.evaluate(_AXE_JS, [AXE_TAGS, AXE_EXTRA_RULES]):
        targets = ", ".join(v["targets"]) + (f" … ({v['count']} in tutto)" if v["count"] > len(v["targets"]) else "")
        problems.append(f"{_title(key, path)}: {v['id']} [{v['impact']}] {v['help']}\n      {targets}")
    return problems


RULES = ", ".join(AXE_TAGS + AXE_EXTRA_RULES)


@pytest.mark.parametrize("role", list(ROLES))
def test_on_a_desktop_and_a_phone_axe_finds_no_violation_and_no_page_is_wider_than_the_phone(
    live_server, page, demo, axe_path, role
):
    """One visit of each page for the three checks: axe at 1366 px, then the same document at 390 px (the layout
    follows the width, static/js/portal.js follows the resize) for the width check and axe again."""
    page = _with_axe(page, axe_path)
    wide, on_desktop, on_phone = [], [], []
    for key, path in visit(page, live_server, role, viewport=DESKTOP):
        on_desktop += _axe_violations(page, key, path)
        page.set_viewport_size(PHONE)
        if (problem := _overflow(page, key, path)) is not None:
            wide.append(problem)
        on_phone += _axe_violations(page, key, path)
    assert not wide, f"{role}: pagine più larghe di {PHONE['width']} px:\n  " + "\n  ".join(wide)
    assert not on_desktop, f"{role}, desktop: violazioni axe-core ({RULES}):\n  " + "\n  ".join(on_desktop)
    assert not on_phone, f"{role}, telefono: violazioni axe-core ({RULES}):\n  " + "\n  ".join(on_phone)
