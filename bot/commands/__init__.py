"""What each CLI command does, on top of the engine: run, batch, check, discover, login."""
