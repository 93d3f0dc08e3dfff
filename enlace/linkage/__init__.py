"""Linking the same person across agencies without handling names in clear.

Normalisation of Spanish names and identifiers and keyed tokens (pure
modules: ``normalise``, ``features``, ``tokens``), write-time matching
(``services``, ``candidates``), the national runs (``engine``, ``clusters``)
and the reviewers' decisions (``review``). The registry stores the tokens at
write time; the national level compares tokens, never names.
"""
