"""Input and output shapes of the JSON API; tables never leave a handler as they are."""
