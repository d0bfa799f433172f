"""Grid controller profiles (YAML) shipped with livetimbre; see controllers/profile.py."""
