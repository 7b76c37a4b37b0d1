"""Conformance of the emulator to Zoho's own Books OpenAPI documents (issue 13; issue 16's measure).

Every documented operation (515) is sent to an in-process emulator whose organisation is seeded with
every resource; an operation is *served* unless it answers 404 code 5 or 405 code 37. A served
answer is validated against the documented response schema with the known errata patched
(``errata/``), and every documented query parameter of a served list is checked to change the
result as documented (``filters.py``).

    python -m tests.conformance.report              # summary line, per-module table, reports/conformance.json
    pytest tests/conformance                         # fails on a new violation or a listed one that is gone

Files: ``oas.py`` (the documents, OpenAPI 3.0 -> JSON Schema), ``errata/`` (named patches, one table
per area, each with its evidence), ``world.py`` (emulator, org, token, ids), ``requests_gen.py``
(concrete requests: the documented example fitted to the world), ``states.py`` (the world builder:
records put, through the API, in the state an operation needs), ``run.py`` (operations and schema
checks), ``filters.py`` and ``filter_setups.py`` (list parameters, and the records a check makes
first), ``report.py``; ``known_violations.json`` (what the emulator still gets wrong, each with why;
empty since issue 13 closed: a new violation is fixed, or listed with its reason) and
``filter_choices.json`` (parameters accepted without Zoho's semantics, as the README's choices table
says). The documents are read from ``../shared/zoho-oas`` or ``ZOHO_OAS_DIR``; without them the
test skips, saying why.
"""
