"""Live events: what advisors' consoles and customers' widgets hear as it happens (SSE)."""
