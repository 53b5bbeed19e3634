"""Leads: the customers a salesperson calls back, captured from the chat."""
