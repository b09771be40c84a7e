"""Returns: the shop's return policy, the customer's return portal and status page, and the
agent's returns inbox; refunds go through the ledger's payouts."""
