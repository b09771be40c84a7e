"""Template filters of the tracking app."""
