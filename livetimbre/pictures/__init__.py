"""Pictures of renders for people to look at (matplotlib, imported only when drawing)."""
