"""Masking engine: each category, the allow-list, the settings, mask_value (bot/privacy/masking.py)."""
import pytest

from bot.privacy import settings as privacy_settings
from bot.privacy.masking import Span, find_spans, mask_text, mask_value
from bot.privacy.settings import MaskingSettings, from_env, parse_categories

ALL = MaskingSettings()


def masked(text: str, settings: MaskingSettings = ALL) -> str:
    return mask_text(text, settings)


# (message, the raw values that must be gone, the placeholder that must appear)
CASES = [
    # fødselsnummer and D-numbers, valid or not, with a space
    ("fnr 01017012345", ["01017012345"], "[FØDSELSNUMMER]"),
    ("Fødselsnummeret er 010170 12345.", ["010170", "12345"], "[FØDSELSNUMMER]"),
    ("d-nummer 41017012345", ["41017012345"], "[FØDSELSNUMMER]"),
    ("personnummer: 12345678901 (feil sjekksum)", ["12345678901"], "[FØDSELSNUMMER]"),
    # other runs of 6+ digits
    ("kontonummer 1234.56.78903", ["1234", "78903"], "[NUMMER]"),
    ("saksnummer 2024/123456", ["123456"], "[NUMMER]"),
    ("referanse 987654", ["987654"], "[NUMMER]"),
    ("sak nr 4711", ["4711"], "[NUMMER]"),
    ("født 01.02.2017", ["01.02.2017"], "[NUMMER]"),
    # phone numbers
    ("ring meg på 912 34 567", ["912 34 567"], "[TELEFON]"),
    ("tlf 91234567", ["91234567"], "[TELEFON]"),
    ("+47 912 34 567 etter kl 16", ["912 34 567"], "[TELEFON]"),
    ("0047 41234567", ["41234567"], "[TELEFON]"),
    ("jobb: 22 33 44 55", ["22 33 44 55"], "[TELEFON]"),
    ("(+47) 41 23 45 67", ["41 23 45 67"], "[TELEFON]"),
    ("svensk nummer +46 70 123 45 67", ["70 123 45 67"], "[TELEFON]"),
    # e-mail
    ("skriv til kari.nordmann@gmail.com", ["kari.nordmann@gmail.com", "nordmann"], "[E-POST]"),
    ("ola_h92@hotmail.no.", ["ola_h92"], "[E-POST]"),
    ("kari (at) online punktum no", ["kari (at) online"], "[E-POST]"),
    # web addresses with personal paths
    ("se facebook.com/kari.nordmann", ["kari.nordmann"], "[NETTADRESSE]"),
    ("https://minside.example.com/sak?id=88", ["minside.example.com"], "[NETTADRESSE]"),
    # postal addresses
    ("Vi bor i Storgata 12B.", ["Storgata 12B"], "[ADRESSE]"),
    ("adresse: Fjellveien 3, 9008 Tromsø", ["Fjellveien 3", "9008"], "[ADRESSE]"),
    ("Kong Oscars gate 5 i Bergen", ["Oscars gate 5"], "[ADRESSE]"),
    ("Kong Oscars gate 5 i Bergen", ["Oscars gate 5"], "i Bergen"),
    ("postnummer 9020", ["9020"], "[ADRESSE]"),
    ("vi bor på skoleveien 14 a", ["skoleveien 14"], "[ADRESSE]"),
    # person names: full, lower case, sentence start, Nynorsk, Sami, other languages
    ("jeg heter Kari Nordmann", ["Kari", "Nordmann"], "[NAVN]"),
    ("sønnen min ola har vondt", ["ola"], "[NAVN]"),
    ("Ingrid er 6 år", ["Ingrid"], "[NAVN]"),
    ("Eg heiter Sigrid Haugland og bur i Førde", ["Sigrid", "Haugland"], "[NAVN]"),
    ("Máret Sara og Niillas Somby har søkt", ["Máret", "Sara", "Niillas", "Somby"], "[NAVN]"),
    ("mannen min Mohammed Ali jobber", ["Mohammed", "Ali"], "[NAVN]"),
    ("dattera mi Hodan går på skulen", ["Hodan"], "[NAVN]"),
    ("Vi har snakket med Agnieszka Kowalska", ["Agnieszka", "Kowalska"], "[NAVN]"),
    ("Karis lærer sier nei", ["Karis"], "[NAVN]"),
    ("Anne-Lise ringte", ["Anne-Lise"], "[NAVN]"),
    ("Mvh Tor Arne", ["Tor", "Arne"], "[NAVN]"),
    # ordinary words that are also names: context decides
    ("sønnen min storm trenger hjelp", ["storm"], "[NAVN]"),
    ("hun heter liv", ["liv"], "[NAVN]"),
    ("Liv har autisme", ["Liv"], "[NAVN]"),
    ("Vi snakket med Per i går", ["Per"], "[NAVN]"),
    ("Ola og Dag kommer begge", ["Ola", "Dag"], "[NAVN]"),
    ("Hilsen mamma Gudny", ["Gudny"], "[NAVN]"),
    ("My son Aarav is six", ["Aarav"], "[NAVN]"),
    ("Мій син Олександр", ["Олександр"], "[NAVN]"),
    ("Kåre har vondt i magen", ["Kåre"], "[NAVN]"),
    ("Send til Postboks 123, 9008 Tromsø", ["123", "9008"], "[ADRESSE]"),
    ("post@familien-hansen.no", ["familien-hansen"], "[E-POST]"),
    # health information
    ("han har autisme", ["autisme"], "[HELSE]"),
    ("ADHD-diagnosen kom i fjor", ["ADHD"], "[HELSE]"),
    ("hun fikk diagnosen cerebral parese", ["cerebral parese"], "[HELSE]"),
    ("diabetes type 1 og epilepsi", ["diabetes", "epilepsi"], "[HELSE]"),
    ("ho har epilepsi og astma", ["epilepsi", "astma"], "[HELSE]"),
    ("diabetis", ["diabetis"], "[HELSE]"),  # misspelt
    ("a.d.h.d", ["a.d.h.d"], "[HELSE]"),
    ("Downs syndrom", ["Downs syndrom"], "[HELSE]"),
]


@pytest.mark.parametrize("text,gone,placeholder", CASES, ids=[c[0][:40] for c in CASES])
def test_each_category_is_masked(text, gone, placeholder):
    out = masked(text)
    assert placeholder in out, out
    for value in gone:
        assert value.lower() not in out.lower(), out


# Places, services and institutions stay; so do ordinary words and the scheme's own words.
CLEAN = [
    "Kan Ressurssenteret i Tromsø hjelpe oss?",
    "Vi har kontakt med NAV, PPT og BUP på UNN.",
    "Statsforvalteren sa at kommunen skal svare.",
    "Fastlegen og helsestasjonen har sendt papirer til sykehuset.",
    "Barnehagen og skolen vet ikke hva en barnekoordinator er.",
    "Jeg er mor til en gutt på 7 år med sjelden diagnose.",
    "Han har en alvorlig og langvarig sykdom og nedsatt funksjonsevne.",
    "Hva er adressen til Ressurssenteret?",
    "Møtet er 12.03.2025 kl 08.30-15.00, skoleåret 2023/2024.",
    "Vi søkte i 2023 og fikk svar etter 3 uker.",
    "Det koster 1 500 kr, eller 250 000 kroner i året.",
    "Ring 116 117 eller 113 hvis det haster.",
    "Hei! Takk for svaret. Mvh mamma",
    "Vi flyttet fra Bodø til Alta i fjor, før bodde vi i Oslo.",
    "Les mer på nav.no/barnekoordinator og helsenorge.no",
    "Er det Helse Nord eller St. Olavs hospital som har ansvaret?",
    "Han liker sol og storm, og har et godt liv.",
    "Sønnen min går i 3. klasse og datteren min har avlastning.",
    "Jeg har lest om Kommune-Kari og Helsenorge.",
    "Kan jeg skrive på nordsamisk? Norsk er fint.",
    "Kontakt ressurssenteret@tromso.kommune.no eller ring 90 99 17 84.",
    "Skriv til post@tromso.kommune.no om du vil.",
    "Dag og natt er like travle.",
    "Storm og regn stoppet bussen fra Kvaløya.",
    "Kan du sende vedtaket i Altinn eller på Helsenorge?",
    "Ja, STOPP, HJELP, MER og SLETT er ord jeg kan sende på SMS.",
]


@pytest.mark.parametrize("text", CLEAN, ids=[c[:40] for c in CLEAN])
def test_allow_list_and_ordinary_text_stay_unchanged(text):
    assert masked(text) == text


def test_the_example_from_the_issue():
    text = "jeg heter Kari Nordmann, fnr 01017012345, tlf 912 34 567, sønnen min Ola har autisme"
    assert masked(text) == (
        "jeg heter [NAVN], fnr [FØDSELSNUMMER], tlf [TELEFON], sønnen min [NAVN] har [HELSE]")


def test_spans_are_ordered_non_overlapping_and_longest_wins():
    text = "Storgata 12B, 9008 Tromsø, tlf 912 34 567, kari@nordmann.no"
    spans = find_spans(text, ALL)
    assert all(isinstance(s, Span) for s in spans)
    assert [s.category for s in spans] == ["ADRESSE", "TELEFON", "E-POST"]
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    # the e-mail address wins over the name inside it
    assert text[spans[-1].start:spans[-1].end] == "kari@nordmann.no"


def test_masking_is_deterministic_and_idempotent():
    text = "Ola Nordmann (fnr 01017012345) bor i Storgata 1, 9008 Tromsø og har ADHD."
    once = masked(text)
    assert masked(text) == once
    assert masked(once) == once


def test_mask_value_masks_nested_strings_and_keeps_keys_and_other_values():
    value = {
        "text": "jeg heter Kari",
        "entities": [{"entity": "name", "value": "Kari", "start": 10}],
        "metadata": {"phone": "912 34 567", "n": 3, "ok": True, "none": None},
        "tuple": ("Ola", 1),
    }
    out = mask_value(value, ALL)
    assert out["text"] == "jeg heter [NAVN]"
    assert out["entities"][0] == {"entity": "name", "value": "[NAVN]", "start": 10}
    assert out["metadata"] == {"phone": "[TELEFON]", "n": 3, "ok": True, "none": None}
    assert out["tuple"] == ("[NAVN]", 1)
    assert value["text"] == "jeg heter Kari"  # the input is not changed


def test_only_the_configured_categories_are_masked():
    text = "Kari har autisme, tlf 912 34 567"
    only_phone = MaskingSettings(categories=parse_categories("TELEFON"))
    assert masked(text, only_phone) == "Kari har autisme, tlf [TELEFON]"
    no_health = MaskingSettings(mask_health=False)
    assert masked(text, no_health) == "[NAVN] har autisme, tlf [TELEFON]"
    off = MaskingSettings(enabled=False)
    assert masked(text, off) == text


def test_a_phone_number_is_not_half_masked_when_only_numbers_are_on():
    only_numbers = MaskingSettings(categories=parse_categories("NUMMER"))
    assert masked("tlf 912 34 567", only_numbers) == "tlf 912 34 567"
    assert masked("sak 2024/123456", only_numbers) == "sak [NUMMER]"


def test_settings_from_environment(caplog, tmp_path):
    assert from_env({}).active == MaskingSettings().active
    assert from_env({"MASK_CATEGORIES": "navn, fnr,E-POST"}).categories == {
        "NAVN", "FØDSELSNUMMER", "E-POST"}
    with pytest.raises(ValueError, match="unknown category"):
        from_env({"MASK_CATEGORIES": "NAVN,SKO"})
    with caplog.at_level("WARNING"):
        off = from_env({"MASKING": "off"})
    assert not off.enabled and off.active == frozenset()
    assert "MASKING=off" in caplog.text
    # anything but the exact value 'off' keeps masking on
    assert from_env({"MASKING": "nei"}).enabled
    assert from_env({"MASKING": "false"}).enabled
    assert not from_env({"MASK_HEALTH": "false"}).mask_health
    # per kommune, in its profile
    (tmp_path / "kommuner").mkdir()
    (tmp_path / "kommuner" / "test.yml").write_text(
        "id: test\nprivacy:\n  mask_health: false\n", encoding="utf-8")
    env = {"KNOWLEDGE_DIR": str(tmp_path), "KOMMUNE": "test"}
    assert not from_env(env).mask_health
    assert from_env({**env, "MASK_HEALTH": "true"}).mask_health
    assert from_env({"KOMMUNE": "tromso"}).mask_health


def test_default_settings_are_read_once_from_the_environment(monkeypatch):
    privacy_settings.reset()
    monkeypatch.setenv("MASK_CATEGORIES", "TELEFON")
    try:
        assert mask_text("Kari, 912 34 567") == "Kari, [TELEFON]"
    finally:
        privacy_settings.reset()


def test_empty_and_non_text_values_pass_through():
    assert mask_text("", ALL) == ""
    assert mask_value(None, ALL) is None
    assert mask_value(42, ALL) == 42
