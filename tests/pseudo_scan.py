"""English left in a lesson run in the pseudo-language ``en_XA``: the text that did not go through a catalog.

In ``en_XA`` every translated message comes out as ``⟦Ţŕáñšĺáţéđ⟧``, so after removing those, any run of three
or more plain English words that a trainee reads is a string a real language would leave in English. What is
read: cell outputs (text, HTML, Markdown, printed lines) and the widgets' labels, descriptions, placeholders, HTML and
the options they offer (what a trainee reads of a choice; its value stays English).
Not read, as data rather than prose: quotations (``<q>``: a goal sentence the kit reads in English), tables
and pandas Series printed as text (their cells are task names, tool names, column names as in the dataset),
names (a run of words that all begin with a capital: a tool, a person, a company, as the data spells them), the
titles of the sources the kit cites (a work keeps its title, so a reader can find it), code, images (charts:
``test_catalogs.py`` checks their glyphs) and the answers saved inside the notebook.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from mopskit.assess import ANSWER_MIME
from mopskit.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_DROP = re.compile(r"<(table|style|script|code|pre|q)\b.*?</\1>", re.S | re.I)  # <q>: a goal quoted as written
_TAG = re.compile(r"<[^>]+>")
_MARKED = re.compile(re.escape(PSEUDO_OPEN) + r"[^" + PSEUDO_OPEN + PSEUDO_CLOSE + r"]*" + re.escape(PSEUDO_CLOSE))
_ENGLISH = re.compile(r"(?<![\w.])[A-Za-z][a-z']+(?:[ ,;:()-]+[A-Za-z][a-z']+){2,}")
_MARKDOWN_CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
_WIDGET_TEXT = ("description", "placeholder", "tooltip")
_SERIES = re.compile(r"(?:^|\n)(?:\w+: [^\n]*, )?dtype: \w+\s*$")  # the last line of a pandas Series' repr
_NAME = re.compile(r"[A-Z][\w'-]*(?:[ ,;:()-]+[A-Z][\w'-]*)*")


def visible_text(markup: str) -> str:
    """The text a reader sees in an HTML fragment, without tables, code and styles."""
    return html.unescape(_TAG.sub(" ", _DROP.sub(" ", markup)))


@cache
def _titles() -> re.Pattern[str]:
    """The titles of the sources the kit cites (``sources.yaml``), longest first."""
    from mopskit.content import load_yaml

    titles = sorted({str(s["title"]) for s in load_yaml("sources").values()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in titles))


def english_in(text: str) -> list[str]:
    """Runs of three or more English words outside the pseudo-language's brackets.

    >>> english_in("⟦Çóŕŕéçţ⟧ but this is plain English, ⟦ñóţ ⟦ţĥíš⟧⟧")
    ['but this is plain English']
    >>> english_in("⟦Ţóóĺš:⟧ Social Scheduler Pro, Salesforce Sales Cloud")
    []
    """
    text = _titles().sub(" ", text)
    previous = None
    while previous != text:  # innermost first: a translated message may hold another
        previous, text = text, _MARKED.sub(" ", text)
    runs = (m.group(0).strip(" ,;:(-") for m in _ENGLISH.finditer(text))
    return [run for run in runs if not _NAME.fullmatch(run)]  # Social Scheduler Pro, Mara Lind: names, as data


def _prose(text: str) -> str:
    """A text output as a reader takes it: a pandas Series printed as text is data, as a table is."""
    return "" if _SERIES.search(text) else text


def english_left(nb: Any) -> list[str]:
    """Every run of English a trainee reads in an executed notebook, as ``cell N: 'text'`` (each once)."""
    found: dict[str, None] = {}
    for index, cell in enumerate(nb.cells, 1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts = [output.get("text", "")]
            elif output.get("output_type") == "error":
                texts = [output.get("evalue", "")]
            else:
                data = output.get("data", {})
                if ANSWER_MIME in data or "application/vnd.jupyter.widget-view+json" in data:
                    continue  # the answer saved inside the notebook, or a widget (its state is read below)
                texts = [visible_text(data["text/html"])] if "text/html" in data else [data.get("text/plain", "")]
                if "text/markdown" in data:  # IPython's Markdown(): its text/plain is only the object's name
                    texts = [visible_text(_MARKDOWN_CODE.sub(" ", "".join(data["text/markdown"])))]  # HTML in it too
            if output.get("output_type") == "execute_result" and "text/html" not in output.get("data", {}):
                texts = [_prose(t if isinstance(t, str) else "".join(t)) for t in texts]
            for text in texts:
                for run in english_in(text if isinstance(text, str) else "".join(text)):
                    found[f"cell {index}: {run!r}"] = None
    states = nb.metadata.get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    for model in states.values():
        state = model.get("state", {})
        texts = [state.get(key) for key in _WIDGET_TEXT if isinstance(state.get(key), str)]
        texts += [label for label in state.get("_options_labels", ()) if isinstance(label, str)]
        if model.get("model_name") in ("HTMLModel", "LabelModel", "HTMLMathModel") and isinstance(
            state.get("value"), str
        ):
            texts.append(visible_text(state["value"]))
        for text in texts:
            for run in english_in(text):
                found[f"a widget: {run!r}"] = None
    return list(found)
