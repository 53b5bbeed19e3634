"""Staff accounts: advisors, managers and operators, their logins and tokens."""
