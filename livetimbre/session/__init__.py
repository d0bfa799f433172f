"""The session: layers × scenes of clip slots, the single source of truth."""
