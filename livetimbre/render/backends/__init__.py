"""Render backends: 'procedural' (composer + synth); 'musicgen' comes later."""
