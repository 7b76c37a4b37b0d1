"""In-process mode (``mock_zoho.inprocess.serve``): the public name of ``mock_zoho.serving.inprocess``."""
from .serving.inprocess import DEFAULT_LOCAL_BASE, InProcess, serve

__all__ = ["serve", "InProcess", "DEFAULT_LOCAL_BASE"]
