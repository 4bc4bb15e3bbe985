"""Training analytics core: load, form, shoes, findings (pure)."""
