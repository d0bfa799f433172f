"""AETHER's specification pipeline as pure, deterministic functions → note events."""
