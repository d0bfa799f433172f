"""Fake secret files for the hostile-input tests, and a check that no answer quotes them.

Every file is made fresh from random bytes: a `/etc/shadow`-style password list (unique
users: it parses as a mapping of unknown keys; one user twice: a duplicate-key error), a
PEM private key (it parses as one long string) and a `.pgpass`-style line (a YAML
syntax error on its first character). No real key or password is ever written.
"""

from __future__ import annotations

import base64
import secrets
import string
from pathlib import Path

RUN = 6  # characters: a run this long of a secret file in an answer is a leak
_SALT = string.ascii_letters + string.digits + "./"


def _crypt_like(length: int) -> str:
    return "".join(secrets.choice(_SALT) for _ in range(length))


def shadow_text(repeat_a_user: bool = False) -> str:
    """Lines `name:$6$salt$hash:19000:0:99999:7:::`, and a locked and a disabled account."""
    users = [f"user{secrets.token_hex(3)}" for _ in range(3)]
    lines = [f"{name}:$6${_crypt_like(16)}${_crypt_like(86)}:19000:0:99999:7:::"
             for name in ["root", *users]]
    lines += [f"daemon{secrets.token_hex(2)}:*:19000:0:99999:7:::",
              f"nobody{secrets.token_hex(2)}:!:19000::::::"]
    if repeat_a_user:
        lines.append(lines[1])
    return "\n".join(lines) + "\n"


def pem_text() -> str:
    """A PEM 'private key' of random bytes (not a key: nothing could use it)."""
    body = base64.b64encode(secrets.token_bytes(1190)).decode("ascii")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"


def pgpass_text() -> str:
    """`host:port:db:user:password` lines; '@' cannot start a YAML token."""
    return (f"@db-{secrets.token_hex(4)}.internal:5432:*:app:{secrets.token_urlsafe(18)}\n"
            f"localhost:5432:*:admin:{secrets.token_urlsafe(18)}\n")


KINDS = {
    "shadow": lambda: shadow_text(),
    "shadow-repeated-user": lambda: shadow_text(repeat_a_user=True),
    "pem": pem_text,
    "pgpass": pgpass_text,
}


def write_secrets(folder: Path) -> dict[str, Path]:
    """One file of each kind in `folder`, named as a user might be tricked into naming
    them, plus a `.yaml` symlink to each (for surfaces that want the suffix)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for kind, make in KINDS.items():
        path = folder / kind
        path.write_text(make(), encoding="ascii")
        link = folder / f"{kind}.yaml"
        link.symlink_to(path)
        out[kind] = link
    return out


def leaks(answer: str, secret: Path | str) -> list[str]:
    """The runs of `RUN` characters of `secret` (a file, or its text) found in `answer`
    (none, if nothing of it was quoted)."""
    text = secret.read_text(encoding="ascii") if isinstance(secret, Path) else secret
    runs = {text[i:i + RUN] for i in range(len(text) - RUN + 1)}
    return sorted(run for run in runs if "\n" not in run and run in answer)
