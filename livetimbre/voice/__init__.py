"""The voice: lyrics (LyricSpec), a singable vocal melody (VocalSpec) set to them, and
singing synthesis that turns the result into a sung stem, offline and without weights."""
