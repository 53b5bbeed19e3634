"""The chatbot service: sessions, grounded answers from the dealer's inventory."""
