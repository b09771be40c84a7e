"""17TRACK aggregator adapter (slug `17track`; a module name cannot start with a digit).

`codes.py` maps its sub-statuses, `parse.py` reads track info, `webhook.py` verifies pushes.
"""
