"""MIDI surfaces: grid controllers and their profiles, clock in and out, notes out, and
the sender process that times MIDI output to the engine's frames."""
