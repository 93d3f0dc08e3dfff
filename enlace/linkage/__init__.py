"""Linking the same person across agencies without handling names in clear.

Pure functions only: normalisation of Spanish names and identifiers, and
keyed tokens. The registry stores the tokens at write time; the national
level compares tokens, never names.
"""
