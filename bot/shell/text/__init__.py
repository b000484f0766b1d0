"""Text renderers for the terminal: the status table and a commitment's history."""
