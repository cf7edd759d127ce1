"""HTTP handlers: parse, call a service, return a schema, template or bytes."""
