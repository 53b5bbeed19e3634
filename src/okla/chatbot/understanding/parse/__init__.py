"""The passes of the query parser (`understanding/query.py` runs them, in order).

Each module reads one kind of thing from the folded message and blanks the words it read,
so that a later pass cannot read them again; `scan` holds what the passes share and
`exclusions` what the customer rules out.
"""
