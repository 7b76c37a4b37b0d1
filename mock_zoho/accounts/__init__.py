"""accounts backend of the emulator."""
