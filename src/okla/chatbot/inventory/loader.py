"""Moved to okla.chatbot.inventory.service; this name stays until its importers move."""

from okla.chatbot.inventory.service import import_rows as import_rows
from okla.chatbot.inventory.service import load_demo as load_demo
