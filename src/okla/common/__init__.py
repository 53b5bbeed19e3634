"""Pieces the chatbot service and the gateway share: errors, ASGI helpers, rate limits."""
