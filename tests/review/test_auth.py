"""Passwords, session cookies, CSRF tokens and the lockout rule of the review app."""
from __future__ import annotations

from review import auth


def test_password_hash_is_salted_scrypt_and_checks_only_the_right_password():
    h1, h2 = auth.hash_password("riktig-passord-1"), auth.hash_password("riktig-passord-1")
    assert h1.startswith("scrypt$") and h1 != h2
    assert auth.verify_password("riktig-passord-1", h1)
    assert not auth.verify_password("riktig-passord-2", h1)
    assert not auth.verify_password("x", "not-a-hash")


def test_short_passwords_are_refused():
    assert auth.password_problem("kort") and auth.password_problem("a" * 12) is None


def test_session_cookies_are_signed_and_expire():
    s = auth.new_session(7, 0, minutes=10, now=1000.0)
    cookie = auth.session_cookie("key", s)
    assert auth.read_session("key", cookie, now=1001.0) == s
    assert auth.read_session("key", cookie, now=1000.0 + 601) is None  # expired
    assert auth.read_session("other-key", cookie, now=1001.0) is None  # not ours
    body, mac = cookie.split(".")
    assert auth.read_session("key", body[:-2] + "xx." + mac, now=1001.0) is None  # tampered


def test_csrf_token_is_bound_to_the_session():
    token = auth.csrf_token("key", "nonce-a")
    assert auth.csrf_ok("key", "nonce-a", token)
    assert not auth.csrf_ok("key", "nonce-b", token)
    assert not auth.csrf_ok("key", "nonce-a", None) and not auth.csrf_ok("key", None, token)


def test_the_fifth_failure_locks_for_the_configured_minutes():
    failed, until = 0, None
    for _ in range(4):
        failed, until = auth.after_failure(failed, 5, 15, now=100.0)
        assert until is None
    failed, until = auth.after_failure(failed, 5, 15, now=100.0)
    assert until == 100.0 + 15 * 60
    assert auth.locked(until, now=100.0 + 60) and not auth.locked(until, now=100.0 + 15 * 60 + 1)
