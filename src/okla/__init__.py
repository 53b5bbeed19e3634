"""OKLA Chat: a sales-assistant chatbot for car dealers, grounded in the dealer's inventory."""

__version__ = "0.1.0"
