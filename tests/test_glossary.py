import pytest

from mopskit.content import load_yaml
from mopskit.errors import MopskitError
from mopskit.glossary import glossary, glossary_table, term


@pytest.mark.parametrize(
    "key", ["MQL", "MQA", "SQL", "SLA", "ROMI", "CAC", "ABM", "CDP", "CRM", "lead rotation", "RACI"]
)
def test_the_terms_a_new_hire_meets_are_there(key):
    entry = term(key)
    assert entry.definition.endswith(".") and len(entry.definition) > 30
    assert entry.source in load_yaml("sources")


@pytest.mark.parametrize(
    ("asked", "key"),
    [
        ("mql", "MQL"),
        ("Marketing-qualified lead", "MQL"),
        ("Marketing-qualified lead (MQL)", "MQL"),
        ("round robin", "lead rotation"),
        ("marketing ops", "MOps"),
    ],
)
def test_terms_are_found_by_short_form_full_name_or_alias(asked, key):
    assert term(asked).key == key


def test_every_entry_cites_a_source_and_aliases_are_unique():
    seen = {}
    for entry in glossary():
        assert entry.cited_in
        for name in (entry.key, entry.term, *entry.aliases):
            assert seen.setdefault(name.casefold(), entry.key) == entry.key, f"'{name}' names two terms"


def test_unknown_term_lists_the_known_ones():
    with pytest.raises(MopskitError, match=r"the glossary has no term 'XYZ'; terms: MOps, "):
        term("XYZ")


def test_glossary_table_is_alphabetical():
    table = glossary_table()
    assert table["term"].tolist() == sorted(table["term"], key=str.casefold)
    assert len(table) == len(glossary())


def test_every_term_has_its_name_in_each_language_from_a_source_in_that_language():
    from mopskit.catalogs import TRANSLATED
    from mopskit.content import load_yaml

    sources = load_yaml("sources")
    wrong = []
    for entry in glossary():
        for lang in TRANSLATED:
            if not entry.terms.get(lang, "").strip():
                wrong.append(f"{entry.key}: no term in {lang}")
            origin = entry.terms_from.get(lang)
            if origin == "mopskit":
                continue
            languages = [x.strip() for x in str(sources.get(origin, {}).get("language", "")).split(",")]
            if lang not in languages:
                wrong.append(f"{entry.key}: its {lang} term comes from {origin!r}, which has no {lang} version")
    assert not wrong, "\n".join(wrong)


def test_a_term_is_found_by_its_name_in_any_language():
    assert term("ข้อตกลงระดับบริการ").key == "SLA"
    assert term("Rata de clic (CTR)").key == "CTR"
    assert term("客戶獲取成本").key == "CAC"
    assert glossary_table("th")["english"].str.len().gt(0).all()
