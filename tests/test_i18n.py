from mopskit import i18n


def test_unknown_language_falls_back_to_english():
    i18n.set_language("xx")
    try:
        assert i18n._("Correct! ({earned:g}/{possible:g} points)") == "Correct! ({earned:g}/{possible:g} points)"
        assert i18n.get_language() == "xx"
    finally:
        i18n.set_language(None)
    assert i18n.get_language() == "en"
