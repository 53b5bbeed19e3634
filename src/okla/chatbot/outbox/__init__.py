"""The transactional outbox: events for the dealer's webhook, delivered at least once."""
