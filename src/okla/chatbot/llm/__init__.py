"""Talking to the LLM: an OpenAI-compatible client behind a circuit breaker."""
