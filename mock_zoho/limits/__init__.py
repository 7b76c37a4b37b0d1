"""limits backend of the emulator."""
