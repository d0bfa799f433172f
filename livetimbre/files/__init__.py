"""User files: atomic writes, audio files, YAML with source locations, validation glue."""
