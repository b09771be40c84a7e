"""The remedy ledger: every refund, reship, voucher and carrier payout as one append-only entry.

Money is integer minor units; a refund can never exceed what was paid.
"""
