"""faults backend of the emulator."""
