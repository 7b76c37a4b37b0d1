"""harness: the client side (reference integration platform, scenario runner, CLI, pytest plugin).

Talks to Zoho only over HTTP, so the same code runs against the real Zoho; never imports
mock_zoho internals. Built in later issues; the emulator it leans on is ``mock_zoho``.
"""
