"""Musical time and the mixer: transport, players, `Engine.process`."""
