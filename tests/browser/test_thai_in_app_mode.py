"""Every lesson, 00 to the capstone, done in Thai in app mode, with no English a trainee reads outside code.

One Thai workspace made as a trainee makes it (``mopskit start --no-launch --lang th``), one app-mode server on
it (what ``mopskit app`` starts, its kernels told ``MOPSKIT_LANG=th``) and one browser serve every lesson found
by glob. Each lesson is opened, shows no code and no error, is answered through its widgets (options picked by
value, whatever their Thai labels say), and every **Check** says correct, in Thai. Then the page's visible text
is read for English left, and a screenshot of the whole page is saved in the test's tmp folder.

What counts as English left (the rule of ``tests/pseudo_scan.py``, applied to what the browser shows):
a run of three or more Latin-script words, each of two letters or more with the rest lowercase ("Check your
answer", "lead scoring model"), within one line of the page. Not English prose, so allowed:

- acronyms and mixed-case names (MOps, CRM, MQL, SLA, KPI, ROMI, CTR, A/B, HubSpot): a word that has a capital
  after its first letter is never part of a run;
- names, a run whose words all begin with a capital (Social Scheduler Pro, Salesforce Sales Cloud, Mara Lind),
  and the titles of the sources the kit cites, which keep their title so a reader can find them;
- data and code: ``code``, ``pre``, ``kbd``, quotations (``<q>``, a goal sentence read as written), pandas tables
  (their cells and columns are the dataset's), charts (images; ``tests/test_catalogs.py`` checks their glyphs),
  and what is typed in an answer box; words joined by ``_`` or ``.`` (``share_pct``, ``campaign_id``) never form a
  run.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from pseudo_scan import english_in

from mopskit._resources import sources_dir
from mopskit.assess import answer_key
from mopskit.assess._answers import to_jsonable

from .app_mode import LessonInApp, start_app_server
from .lab import make_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANG = "th"
LESSONS = sorted(sources_dir().glob("[0-9][0-9]_*.ipynb"))
# Lessons whose English is still being moved into catalogs, each with what is left (remove a line once it is).
ENGLISH_PENDING: dict[str, str] = {}

# What is data or code rather than prose (see the module's docstring): hidden while the page's text is read.
# A pandas table is shown as a Styler's (``mopskit.present.people_table``: id T_...) or plain (class dataframe).
_NOT_PROSE = 'code, pre, kbd, samp, q, table.dataframe, table[id^="T_"], script, style, img, svg, .jp-InputArea'
# The text each cell of the page shows (the whole page if it has no cells), with the options its lists offer.
_SHOWN_TEXT = f"""() => {{
  const style = document.createElement('style');
  style.textContent = `{_NOT_PROSE} {{ display: none !important; }}`;
  document.head.appendChild(style);
  try {{
    const cells = [...document.querySelectorAll('#rendered_cells .jp-Cell')];
    return (cells.length ? cells : [document.body]).map((block) => [block.innerText,
      ...[...block.querySelectorAll('select option')].map((o) => o.textContent)].join('\\n'));
  }} finally {{
    style.remove();
  }}
}}"""


def english_shown(blocks: list[str], names: list[str] | None = None) -> list[str]:
    """The runs of English in a page's blocks of text, line by line, as ``PLACE: 'run'`` (each once).

    Args:
        blocks: the text of each cell of the page, in order (or of the whole page).
        names: what to call each block (default: ``cell 1``, ``cell 2``, ...).

    >>> english_shown(["ตรวจคำตอบ\\nCRM และ MQL ของ HubSpot", "Check your answer"])
    ["cell 2: 'Check your answer'"]
    """
    names = names or [f"cell {n}" for n in range(1, len(blocks) + 1)]
    found = {
        f"{name}: {run!r}": None
        for name, text in zip(names, blocks, strict=True)
        for line in text.splitlines()
        for run in english_in(line)
    }
    return list(found)


def _cell_names(notebook: Path) -> list[str]:
    """Each cell of a lesson as a report names it: its place, kind and id (the lesson catalogs' key)."""
    cells = nbformat.read(str(notebook), as_version=4).cells
    return [f"cell {n} ({cell.cell_type} {cell.get('id', '?')})" for n, cell in enumerate(cells, 1)]


def _correct_headlines() -> tuple[str, ...]:
    """How a right answer's verdict starts in Thai, before its points: "Correct!" or "Public checks passed"."""
    from mopskit.i18n import _, _n, language

    one = "Public checks passed ({earned:g}/{possible:g} points); {n} more check runs when graded."
    many = "Public checks passed ({earned:g}/{possible:g} points); {n} more checks run when graded."
    with language(LANG):
        said = [_("Correct! ({earned:g}/{possible:g} points)"), _n(one, many, 1), _n(one, many, 2)]
    return tuple(dict.fromkeys(text.split("(")[0].strip() for text in said))


@pytest.fixture(scope="module")
def thai_app(browser, tmp_path_factory):
    """One app-mode server on one Thai workspace, for every lesson of this module."""
    workspace = make_workspace(tmp_path_factory.mktemp("thai-workspace"), lang=LANG)
    server = start_app_server(workspace, tmp_path_factory.mktemp("thai-voila"), lang=LANG)
    yield server
    server.stop()
    assert server.process.poll() is not None, "the app server is still running after the tests"
    assert not server.kernels(), "kernels of the app server are still running after the tests"


@pytest.fixture
def thai_page(browser, thai_app):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    page.close(run_before_unload=True)  # ends the lesson's kernel, as closing a tab does
    context.close()


def test_every_lesson_is_in_the_thai_workspace(thai_app):
    assert LESSONS, "no lesson found"
    assert sorted(p.name for p in thai_app.root.glob("[0-9][0-9]_*.ipynb")) == [p.name for p in LESSONS]


def test_the_home_page_is_in_thai(thai_app, thai_page):
    thai_page.goto(thai_app.page_url())
    thai_page.wait_for_selector("tr[data-lesson]")
    assert thai_page.locator("tr[data-lesson]").count() == len(LESSONS)
    english = english_shown(thai_page.evaluate(_SHOWN_TEXT))
    assert not english, "the home page shows English: " + "; ".join(english)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=ENGLISH_PENDING[p.stem], strict=False))
        if p.stem in ENGLISH_PENDING
        else p
        for p in LESSONS
    ],
    ids=lambda p: p.stem,
)
def test_lesson_done_in_thai_in_app_mode_with_no_english_outside_code(
    source: Path, thai_app, thai_page, tmp_path, artifacts_root
):
    notebook = thai_app.root / source.name
    key = {exercise_id: to_jsonable(value) for exercise_id, value in answer_key(source).items()}
    walk = LessonInApp(thai_page, thai_app, notebook, key, artifacts=artifacts_root / f"app-{source.stem}-{LANG}")
    correct = _correct_headlines()
    with walk.reporting():
        walk.begin("opening the lesson in Thai")
        walk.open()
        walk.expect_no_code_and_no_errors()
        walk.begin("answering every exercise widget and pressing Check")
        walk.answer_widgets()
        walk.begin("reading the verdicts")
        said = {exercise_id: " ".join(walk.verdict(exercise_id).first.inner_text().split()) for exercise_id in key}
        not_thai = [
            f"exercise {i}: its verdict says {text!r}, not one of {correct}"
            for i, text in said.items()
            if not any(headline in text for headline in correct)
        ]
        if not_thai:
            walk.fail(not_thai)
    thai_page.screenshot(path=str(tmp_path / f"{source.stem}-{LANG}.png"), full_page=True)
    blocks = thai_page.evaluate(_SHOWN_TEXT)
    names = _cell_names(notebook)
    assert len(blocks) == len(names), f"{source.stem}: the page shows {len(blocks)} cells, the lesson has {len(names)}"
    english = english_shown(blocks, names)
    assert not english, f"{source.stem} in Thai shows English outside code and data:\n" + "\n".join(english)
    assert re.search(r"[\u0e00-\u0e7f]", thai_page.inner_text("body")), f"{source.stem}: no Thai on the page"
