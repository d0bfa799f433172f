"""livetimbre: a live-coding REPL and MIDI/OSC performance tool for generated music.

Importing the package has no side effects and needs neither a sound card, nor
FluidSynth, nor torch: heavy backends are loaded lazily by name.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
