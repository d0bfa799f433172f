"""Rendering clips: plans → loop buffers (backends), and the offline renderer."""
