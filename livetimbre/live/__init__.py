"""The live performance: commands performed, launches, slot views, saving, recording."""
