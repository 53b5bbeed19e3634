"""Turning a customer's message and the retrieved vehicles into the reply they may see."""
