"""Domain errors, translated to HTTP problems or CLI messages at the boundary.

DomainError
 ├── InvalidEvent         a tracking event that cannot be accepted (bad time, carrier, field)
 ├── InvalidOrder         an order payload that cannot be accepted
 │    └── OrderConflict   an update that contradicts the stored order (currency, refunds)
 ├── IllegalTransition    a state machine move that its TRANSITIONS table does not allow
 └── LedgerError          a remedy ledger entry or money sum that cannot be accepted
"""


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class InvalidEvent(DomainError):
    """A tracking event that cannot be accepted, with the precise reason."""


class InvalidOrder(DomainError):
    """An order payload that cannot be accepted, with the precise reason."""


class OrderConflict(InvalidOrder):
    """An update of a stored order that would contradict it: its currency or its refunds."""


class IllegalTransition(DomainError):
    """A state machine move that the TRANSITIONS table does not allow."""


class LedgerError(DomainError):
    """A remedy ledger entry or money operation that cannot be accepted, with the reason."""
