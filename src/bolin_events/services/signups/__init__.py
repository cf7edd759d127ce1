"""Sign-ups for a night: plans, places and waitlist, check-in at the door, retention."""
