"""The claims ledger (being built): statements of the built text tied to the quantities they speak of."""
from __future__ import annotations


def claim_findings(edition, book) -> list:
    return []
