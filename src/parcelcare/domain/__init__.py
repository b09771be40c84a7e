"""Pure domain core: vocabulary, timeline merge, detection rules and review timing.

Standard library only; every function takes plain values and `now`.
"""
