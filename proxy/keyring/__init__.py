"""Client keys managed at run time (`/admin/keys`, `metaqore keys`): stored in the ledger's
database, fed into each process's memory, read by the auth stage without a database call."""

from proxy.keyring.key_secret import new_secret
from proxy.keyring.record import KeyRow, new_key_id
from proxy.keyring.store import IdempotencyConflict, KeyNotFound, KeyRevoked, KeyStore, Rotation

__all__ = [
    "IdempotencyConflict",
    "KeyNotFound",
    "KeyRevoked",
    "KeyRow",
    "KeyStore",
    "Rotation",
    "new_key_id",
    "new_secret",
]
