"""Composing the reply to one message: plan, template or model, checks."""
