"""Load tests of a Zoho Books integration against the emulator (locust files, a driver, reports).

``python -m load run`` starts a bounded, loopback-only locust run of one profile (``limits``,
``ceiling``), then reads the emulator's journal and limits to check what the run did: calls per org
per rolling minute against the limit, 429s, 5xx, lost writes, and whether locust's counts match the
emulator's. See ``load/README.md``.
"""
