"""Benchmarks behind `parcelcare bench`: each prints JSON with a baseline from the same run.

They measure the real code paths against the simplest possible work on the same database.
"""
