"""Passwords (scrypt), signed session cookies, CSRF tokens and the login lockout: pure functions."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Optional

ROLES = ("reviewer", "admin")
# scrypt cost: about 50 ms and 16 MB per check on this machine.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        check = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(bytes.fromhex(digest)), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(check.hex(), digest)


# A hash to check against when the user does not exist, so both cases take as long.
DUMMY_HASH = hash_password(secrets.token_hex(16))


def password_problem(password: str) -> Optional[str]:
    """Why a new password is refused (Norwegian), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn."
    return None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: str, payload: dict) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def unsign(secret: str, token: Optional[str]) -> Optional[dict]:
    if not token or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    expected = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        payload = json.loads(_unb64(body))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


@dataclass(frozen=True)
class Session:
    user_id: int
    version: int
    nonce: str
    expires: float


def new_session(user_id: int, version: int, minutes: int, now: Optional[float] = None) -> Session:
    now = time.time() if now is None else now
    return Session(user_id, version, secrets.token_hex(16), now + minutes * 60)


def session_cookie(secret: str, s: Session) -> str:
    return sign(secret, {"u": s.user_id, "v": s.version, "n": s.nonce, "e": s.expires})


def read_session(secret: str, cookie: Optional[str], now: Optional[float] = None) -> Optional[Session]:
    payload = unsign(secret, cookie)
    if not payload:
        return None
    try:
        s = Session(int(payload["u"]), int(payload["v"]), str(payload["n"]), float(payload["e"]))
    except (KeyError, TypeError, ValueError):
        return None
    if s.expires < (time.time() if now is None else now):
        return None
    return s


def csrf_token(secret: str, seed: str) -> str:
    """The token forms carry: bound to the session's nonce (or the login page's own seed)."""
    return _b64(hmac.new(secret.encode(), f"csrf:{seed}".encode(), hashlib.sha256).digest())


def csrf_ok(secret: str, seed: Optional[str], token: Optional[str]) -> bool:
    return bool(seed and token) and hmac.compare_digest(csrf_token(secret, seed), token)


def locked(locked_until: Optional[float], now: Optional[float] = None) -> bool:
    return bool(locked_until) and locked_until > (time.time() if now is None else now)


def after_failure(failed: int, lockout_after: int, lockout_minutes: int,
                  now: Optional[float] = None) -> tuple:
    """(failed count, locked_until) after one more wrong password."""
    now = time.time() if now is None else now
    failed += 1
    if failed >= lockout_after:
        return 0, now + lockout_minutes * 60
    return failed, None
