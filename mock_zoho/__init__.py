"""mock_zoho: a stateful emulator of Zoho Accounts (OAuth 2.0) and the Zoho Books API v3."""
from .app import create_app
from .clock import Clock
from .config import Config, ConfigError
from .emulator import Emulator

__all__ = ["Emulator", "create_app", "Config", "ConfigError", "Clock"]
