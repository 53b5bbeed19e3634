"""Test-drive bookings: slots from the dealer's hours, capacity enforced by the database."""
