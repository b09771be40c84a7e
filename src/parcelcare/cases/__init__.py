"""The case desk: "not received", lost, damaged and undeliverable claims from intake to remedy.

Cases follow the playbooks of `domain/playbooks.py`; every step is audited in its transaction.
"""
