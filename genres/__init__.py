"""The genre profiles shipped with livetimbre: the `*.yaml` files in this folder.

This file only makes the folder a package: pyproject.toml maps the repository's top-level
genres/ folder to `livetimbre.genre_files`, and `livetimbre.genres.registry` finds the
files with importlib.resources.
"""
