"""Render backends the tests plug in, as a package would, through an entry point."""
