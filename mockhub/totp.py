"""TOTP on the mock clock (pyotp) and QR codes of the otpauth URL (segno, imported on use)."""

from __future__ import annotations

import base64
import io
from datetime import datetime

import pyotp

ISSUER = "NoackHub"
STEP_SECONDS = 30


class SeedTOTP(pyotp.TOTP):
    # Seeds may carry short demo secrets such as the reference's 80-bit JBSWY3DPEHPK3PXP;
    # secrets mockhub generates itself are 160 bits.
    min_secret_length_bits = 80


def new_secret(random_bits: int) -> str:
    """A 160-bit base32 secret from the caller's (seeded) random bits."""
    return base64.b32encode(random_bits.to_bytes(20, "big")).decode()


def valid_secret(secret: str) -> bool:
    try:
        SeedTOTP(secret).byte_secret()
    except (ValueError, TypeError):
        return False
    return True


def code_at(secret: str, moment: datetime) -> str:
    return SeedTOTP(secret).at(moment)


def seconds_left(moment: datetime) -> int:
    return STEP_SECONDS - int(moment.timestamp()) % STEP_SECONDS


def verify(secret: str, code: str, moment: datetime) -> bool:
    """True when `code` matches the step at `moment` or one step either side."""
    return SeedTOTP(secret).verify(code, for_time=moment, valid_window=1)


def otpauth_url(secret: str, login: str) -> str:
    return SeedTOTP(secret, name=login, issuer=ISSUER).provisioning_uri()


def qr_png_base64(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=4)
    return base64.b64encode(buffer.getvalue()).decode()
