"""books backend of the emulator."""
