"""Counting misunderstandings in a row decides when the family is handed to a person."""
from actions.fallback import consecutive_fallbacks


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def bot():
    return {"event": "bot", "text": "..."}


def test_counts_only_the_latest_run_of_fallbacks():
    events = [user("nlu_fallback"), bot(), user("faq"), bot(), user("nlu_fallback"), bot(),
              user("nlu_fallback")]
    assert consecutive_fallbacks(events) == 2


def test_an_understood_message_resets_the_count():
    assert consecutive_fallbacks([user("nlu_fallback"), bot(), user("greet")]) == 0


def test_a_restart_resets_the_count():
    assert consecutive_fallbacks([user("nlu_fallback"), {"event": "restart"}, user("nlu_fallback")]) == 1
