"""The vocabulary of leads: what the customer wants, and where the salesperson is with them."""

from __future__ import annotations

from enum import StrEnum


class LeadInterest(StrEnum):
    """What the customer asked for when they left their contact."""

    TEST_DRIVE = "TestDrive"
    CALLBACK = "Callback"
    PRICE = "Price"
    FINANCING = "Financing"
    TRADE_IN = "TradeIn"


class LeadStatus(StrEnum):
    """Where the salesperson is with a lead."""

    NEW = "New"
    CONTACTED = "Contacted"
    WON = "Won"
    LOST = "Lost"
