"""Turning retrieved vehicles into a reply the customer may see."""
