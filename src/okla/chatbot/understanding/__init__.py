"""Understanding a customer's message: intents and the vehicle query."""
