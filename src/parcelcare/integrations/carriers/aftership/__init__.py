"""AfterShip aggregator adapter.

`codes.py` maps its subtags and tags, `parse.py` reads trackings, `webhook.py` verifies pushes.
"""
