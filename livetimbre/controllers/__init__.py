"""Control surfaces: OSC, MIDI grid controllers, MIDI clock, Ableton Link."""
