"""SMS text rules: segment counting, plain text, numbered choices, keywords, shortening."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.sms_text import (
    MORE_HINT,
    Choice,
    choices_from_buttons,
    count_segments,
    detect_keyword,
    fit_reply,
    markdown_to_sms,
    numbered_choices,
    payload_for_reply,
    sms_reply,
)

YES_NO = [Choice("Ja", "Ja"), Choice("Nei", "Nei"), Choice("Vet ikke", "Vet ikke")]


@pytest.mark.parametrize(
    "text, encoding, segments",
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        # Norwegian letters are in GSM-7: 160 of them still fit in one SMS.
        ("æøåÆØÅ" * 26 + "æø", "GSM-7", 1),
        # One emoji turns the whole message into UCS-2: 70 per SMS, 67 when split.
        ("a" * 69 + "😀", "UCS-2", 2),
        ("a" * 70, "GSM-7", 1),
        ("ä" * 70 + "\u201c", "UCS-2", 2),
        ("b" * 134, "GSM-7", 1),
        ("€" * 80, "GSM-7", 1),  # extension characters cost two septets
        ("€" * 81, "GSM-7", 2),
    ],
)
def test_segment_counts_follow_gsm_rules(text, encoding, segments):
    info = count_segments(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_escape_pair_is_not_split_across_segments():
    # 152 plain septets then "€" (2 septets): the pair cannot start at septet 153 of part one.
    text = "a" * 152 + "€" + "a" * 152
    assert count_segments(text).units == 306
    assert count_segments(text).segments == 3


def test_emoji_surrogate_pair_is_not_split():
    text = "a" * 66 + "😀" + "a" * 66
    assert count_segments(text).units == 134
    assert count_segments(text).segments == 3


def test_markdown_becomes_plain_text_with_plain_addresses():
    md = (
        "## Klage\n**Viktig:** Les [klagereglene](https://lovdata.no/x) og *send* klagen.\n\n"
        "* «en» – to…\n- tre\nE-post: [post@kommune.no](mailto:post@kommune.no)"
    )
    plain = markdown_to_sms(md)
    assert "**" not in plain and "*send*" not in plain and "##" not in plain
    assert "klagereglene: https://lovdata.no/x" in plain
    assert "E-post: post@kommune.no" in plain
    assert '- "en" - to...' in plain
    assert count_segments(plain).encoding == "GSM-7"


def test_underscores_inside_words_and_addresses_survive():
    assert markdown_to_sms("skriv til ola_nordmann@x.no") == "skriv til ola_nordmann@x.no"


def test_buttons_become_numbered_choices_and_digits_map_back():
    choices = choices_from_buttons([{"title": t, "payload": t} for t in ("Ja", "Nei", "Vet ikke")])
    assert numbered_choices(choices) == "Svar 1 for Ja, 2 for Nei eller 3 for Vet ikke."
    assert payload_for_reply("1", choices) == "Ja"
    assert payload_for_reply(" 3. ", choices) == "Vet ikke"
    assert payload_for_reply("4", choices) is None  # out of range: free text
    assert payload_for_reply("hun er 2", choices) is None
    assert payload_for_reply("1", []) is None


def test_letter_choices_leave_numbers_as_answers():
    choices = [Choice("Vi venter barn", "Vi venter barn"), Choice("Vet ikke", "Vet ikke")]
    assert numbered_choices(choices, letters=True) == (
        "Du kan også svare A for Vi venter barn eller B for Vet ikke."
    )
    assert payload_for_reply("b", choices, letters=True) == "Vet ikke"
    assert payload_for_reply("2", choices, letters=True) is None


def test_command_payloads_without_title_are_not_offered_as_text():
    assert choices_from_buttons([{"payload": "/restart"}, "junk", {"title": "Ja"}]) == [
        Choice("Ja", "Ja")
    ]


@pytest.mark.parametrize(
    "text, keyword",
    [("STOPP", "STOPP"), ("stop", "STOPP"), ("Stopp!", "STOPP"), (" hjelp ", "HJELP"),
     ("Ny", "NY"), ("mer", "MER"), ("stopp å spørre", None), ("trenger hjelp", None), ("", None)],
)
def test_keywords_are_whole_messages_only(text, keyword):
    assert detect_keyword(text) == keyword


def test_short_reply_is_unchanged():
    fitted = fit_reply("Nei. Det er gratis.", numbered_choices(YES_NO))
    assert fitted.remainder == ""
    assert fitted.text == "Nei. Det er gratis.\n\nSvar 1 for Ja, 2 for Nei eller 3 for Vet ikke."


def test_long_reply_is_cut_at_a_sentence_with_more_hint_and_choices_kept():
    body = " ".join(f"Dette er setning nummer {i}." for i in range(60))
    fitted = fit_reply(body, numbered_choices(YES_NO), max_segments=3)
    assert fitted.segments.segments <= 3
    assert MORE_HINT in fitted.text
    assert fitted.text.endswith("Svar 1 for Ja, 2 for Nei eller 3 for Vet ikke.")
    first_part = fitted.text.split("\n\n")[0]
    assert first_part.endswith(".")
    # Nothing is lost: what was sent plus what is left is the whole text.
    assert (first_part + " " + fitted.remainder).split() == body.split()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("abcæøå ÆØÅ.,!?\n€😀«»") + ["lang-ord-uten-mellomrom"]),
        max_size=400,
    ).map("".join),
    st.integers(min_value=1, max_value=4),
)
def test_every_reply_fits_and_nothing_is_lost(body, max_segments):
    pieces, rest, guard = [], body.strip(), 0
    while rest and guard < 200:
        fitted = fit_reply(rest, "Svar 1 for Ja.", max_segments)
        assert fitted.segments.segments <= max_segments
        sent = fitted.text
        assert sent.endswith("Svar 1 for Ja.")
        sent = sent[: -len("Svar 1 for Ja.")].rstrip()
        if fitted.remainder:
            assert sent.endswith(MORE_HINT)
            sent = sent[: -len(MORE_HINT)]
        pieces.append(sent)
        assert len(fitted.remainder) < len(rest)
        rest, guard = fitted.remainder, guard + 1
    assert "".join("".join(pieces).split()) == "".join(body.split())


def test_sms_reply_joins_messages_and_offers_last_choices():
    fitted = sms_reply(["**Hei!**", "Har barnet en alvorlig sykdom?"], YES_NO)
    assert fitted.text == (
        "Hei!\n\nHar barnet en alvorlig sykdom?\n\nSvar 1 for Ja, 2 for Nei eller 3 for Vet ikke."
    )


def test_long_titles_are_listed_one_per_line():
    choices = [Choice("Hva gjør en barnekoordinator?", "Hva gjør en barnekoordinator?"),
               Choice("Snakk med et menneske", "Snakk med et menneske")]
    assert numbered_choices(choices) == (
        "Svar med et tall:\n1: Hva gjør en barnekoordinator?\n2: Snakk med et menneske"
    )


def test_repeated_message_is_sent_once():
    assert sms_reply(["Svar gjerne Ja eller Nei.", "Svar gjerne Ja eller Nei."]).text == (
        "Svar gjerne Ja eller Nei."
    )


def test_question_with_choices_is_kept_whole_when_the_text_before_it_is_long():
    intro = " ".join(f"Innledning nummer {i}." for i in range(30))
    question = "Hvor gammel er barnet? Skriv for eksempel 5 år."
    fitted = sms_reply([intro, question], YES_NO, keep_last=True)
    assert fitted.segments.segments <= 3
    assert fitted.text.endswith(question + "\n\nSvar 1 for Ja, 2 for Nei eller 3 for Vet ikke.")
    assert MORE_HINT in fitted.text and fitted.remainder
    # Without the rule the question would be cut away into "MER".
    assert question not in sms_reply([intro, question], YES_NO).text
