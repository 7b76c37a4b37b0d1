"""The threaded werkzeug server in a thread, under its old name: ``mock_zoho.serving.werkzeug``."""
from .serving.ports import free_port
from .serving.werkzeug import ServerHandle, make_redacting_server, start_in_thread

__all__ = ["free_port", "start_in_thread", "ServerHandle", "make_redacting_server"]
