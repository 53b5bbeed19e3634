"""The advisors' side: sessions handed over to a salesperson, and their replies."""
