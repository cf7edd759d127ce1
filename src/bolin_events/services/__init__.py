"""Rules and queries. Services flush but never commit: the request boundary does."""
