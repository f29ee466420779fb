"""OpenSSH public keys: validation and the SHA256 fingerprint `ssh-keygen -lf` prints."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
# Types whose key material `cryptography` can check in full; the security-key types are checked
# for their structure only.
_LOADABLE = {"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
             "ecdsa-sha2-nistp521"}


class InvalidKey(ValueError):
    pass


@dataclass(frozen=True)
class PublicKey:
    key_type: str
    blob: bytes
    comment: str

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def parse_public_key(text: str) -> PublicKey:
    parts = text.strip().split(None, 2)
    if len(parts) < 2:
        raise InvalidKey("Expected '<type> <base64> [comment]', as in an OpenSSH .pub file.")
    key_type, encoded = parts[0], parts[1]
    if key_type not in KEY_TYPES:
        raise InvalidKey(f"Unsupported key type '{key_type}'.")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKey("The key data is not valid base64.") from None
    if _first_string(blob) != key_type.encode():
        raise InvalidKey(f"The key data does not hold a {key_type} key.")
    if key_type in _LOADABLE:
        from cryptography.hazmat.primitives.serialization import load_ssh_public_key

        try:
            load_ssh_public_key(f"{key_type} {encoded}".encode())
        except (ValueError, TypeError):
            raise InvalidKey(f"The key data is not a valid {key_type} key.") from None
    return PublicKey(key_type, blob, parts[2] if len(parts) > 2 else "")


def _first_string(blob: bytes) -> bytes | None:
    if len(blob) < 4:
        return None
    (length,) = struct.unpack(">I", blob[:4])
    if length > len(blob) - 4:
        return None
    return blob[4:4 + length]
