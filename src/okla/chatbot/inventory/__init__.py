"""Dealers' vehicles: what customers ask for, and what the stock holds."""
