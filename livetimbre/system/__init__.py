"""What the machine offers: CPUs kept for audio, real-time tuning, audio devices, MIDI ports."""
