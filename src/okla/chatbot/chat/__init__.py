"""Chat sessions and messages: the public chat API."""
