// Placeholder removed when the emulator lands.
