"""The API gateway: route table, CSRF, JWT for admin routes, rate limits, the web pages."""
