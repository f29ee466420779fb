"""pytest plugin (registered through the pytest11 entry point); imports nothing heavy at load."""
