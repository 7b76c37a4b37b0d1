"""The zoho-harness pytest plugin (registered through the ``pytest11`` entry point).

Scenario collection and user fixtures arrive with the runner issue; until then this module only
registers itself so that installing the package is enough.
"""
