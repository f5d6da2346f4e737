from mopskit import i18n


def test_unknown_language_falls_back_to_english():
    i18n.set_language("xx")
    try:
        assert i18n._("Correct! ({earned:g}/{possible:g} points)") == "Correct! ({earned:g}/{possible:g} points)"
        assert i18n.get_language() == "xx"
    finally:
        i18n.set_language(None)
    assert i18n.get_language() == "en"


def test_a_date_is_written_with_its_months_name_in_each_language():
    from datetime import date

    day = date(2027, 3, 31)
    assert [i18n.date_text(day, lang) for lang in ("en", "ro", "th", "zh_TW")] == [
        "31 March 2027",
        "31 martie 2027",
        "31 มีนาคม ค.ศ. 2027",
        "2027年3月31日",
    ]
    assert i18n.date_text(day, i18n.PSEUDO) == i18n.date_text(day, "fr") == "31 March 2027"  # messages are English
    with i18n.language("ro"):
        assert i18n.date_text(day) == "31 martie 2027"
