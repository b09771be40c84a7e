"""PostNL adapter.

`codes.py` maps its raw event codes to the shared status and incident reason.
"""
