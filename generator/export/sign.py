"""Signing an exported record as a VC-JWT: a compact JWS (RFC 7515) made with the district's Ed25519 key.

As Open Badges 3.0 and CLR 2.0 define the JSON Web Token proof format: the JOSE header has only `alg`
(`EdDSA`, RFC 8037), `kid` (a URI where the public key can be found) and `typ` (`JWT`); the payload is
the credential itself with the claims `iss` (issuer.id), `jti` (id), `nbf` (validFrom), `sub`
(credentialSubject.id) and `exp` (validUntil, when it has one). Ed25519 signatures are deterministic,
so the same document and key always give the same token. The cryptography is the `cryptography`
package's; nothing here is hand-made but the encoding.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from generator.export.encoding import compact


class SigningKeyError(ValueError):
    """The key given to sign with (or verify by) is not the kind the district must use."""


class SignatureError(ValueError):
    """A token that is not a valid compact JWS of this format, or whose signature does not verify."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SignatureError(f"not base64url: {exc}") from None


def private_key(key_pem: bytes) -> Ed25519PrivateKey:
    """The district's signing key from PEM; SigningKeyError when it is not an unencrypted Ed25519 private key."""
    try:
        key = load_pem_private_key(key_pem, password=None)
    except TypeError:
        raise SigningKeyError(
            "the signing key is encrypted with a passphrase: give an unencrypted Ed25519 private key in PEM "
            "(openssl genpkey -algorithm ed25519)"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(
            "the signing key is not a private key in PEM ('-----BEGIN PRIVATE KEY-----'): give an Ed25519 "
            "private key (openssl genpkey -algorithm ed25519)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            f"the signing key is a {type(key).__name__.removeprefix('_').replace('PrivateKey', '')} key, not "
            "Ed25519: records are signed with EdDSA (openssl genpkey -algorithm ed25519)"
        )
    return key


def public_jwk(key_pem: bytes) -> dict[str, str]:
    """The public half of the signing key as a JWK (RFC 8037), for the district to publish at its `kid`."""
    public = private_key(key_pem).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(public)}


def _numeric_date(value: Any, name: str) -> int:
    if not isinstance(value, str):
        raise ValueError(f"the record has no {name} to sign")
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return int(moment.timestamp())


def claims(doc: dict[str, Any]) -> dict[str, Any]:
    """The JWT payload for a credential: the credential with its registered claims."""
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = doc.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    for value, name in ((issuer_id, "issuer.id"), (doc.get("id"), "id"), (subject_id, "credentialSubject.id")):
        if not isinstance(value, str) or not value:
            raise ValueError(f"the record has no {name} to sign")
    payload = dict(doc)
    payload.update(
        {"iss": issuer_id, "jti": doc["id"], "nbf": _numeric_date(doc.get("validFrom"), "validFrom"), "sub": subject_id}
    )
    if "validUntil" in doc:
        payload["exp"] = _numeric_date(doc["validUntil"], "validUntil")
    return payload


def sign_clr(doc: dict[str, Any], key_pem: bytes, kid: str) -> str:
    """`doc` (a ClrCredential) signed with the district's Ed25519 key in PEM, as a compact JWS (VC-JWT).
    `kid` is the URI of the public key, such as the issuer's id with `#key-1`."""
    key = private_key(key_pem)
    if not kid:
        raise ValueError("a key id (kid) is needed: the URI where verifiers find the district's public key")
    header = {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    signing_input = f"{_b64(compact(header))}.{_b64(compact(claims(doc)))}"
    return f"{signing_input}.{_b64(key.sign(signing_input.encode('ascii')))}"


def verify_clr(token: str, public_pem: bytes) -> dict[str, Any]:
    """The payload of a token `sign_clr` made, once its EdDSA signature verifies with the public key in PEM
    and its claims match the credential; SignatureError otherwise."""
    try:
        key = load_pem_public_key(public_pem)
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError("the verification key is not a public key in PEM") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("the verification key is not an Ed25519 public key")
    parts = token.split(".")
    if len(parts) != 3:
        raise SignatureError("not a compact JWS (three base64url parts separated by '.')")
    try:
        header = json.loads(_unb64(parts[0]))
        payload = json.loads(_unb64(parts[1]))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SignatureError(f"the token's header or payload is not JSON: {exc}") from None
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise SignatureError("the token is not signed with EdDSA")
    try:
        key.verify(_unb64(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        raise SignatureError("the signature does not verify with this key") from None
    if not isinstance(payload, dict):
        raise SignatureError("the token's payload is not a credential")
    credential = {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "sub", "exp")}
    try:
        expected = claims(credential)
    except ValueError as exc:
        raise SignatureError(f"the token's payload is not a credential: {exc}") from None
    if expected != payload:
        raise SignatureError("the token's claims (iss, jti, nbf, sub, exp) do not match the credential")
    return payload
