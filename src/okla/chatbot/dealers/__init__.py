"""The dealer's desk: its profile (address, hours, policies) and how the bot reads it."""
