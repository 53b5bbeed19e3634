"""Privacy: how long customers' data is kept, and removing one customer's on request."""
