"""mock_zoho: a stateful emulator of Zoho Accounts (OAuth 2.0) and the Zoho Books API v3."""
from .clock import Clock
from .config import Config, ConfigError
from .emulator import Emulator, create_app

__all__ = ["Emulator", "create_app", "Config", "ConfigError", "Clock"]
