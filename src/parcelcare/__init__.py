"""parcelcare: self-hosted post-purchase care for webshops.

Tracking in, problems found, customers told first, claims handled to the remedy.
"""

__version__ = "0.1.0"
