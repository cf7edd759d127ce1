"""The live tally at the gates: entrances, idempotent batches, closing into a report."""
