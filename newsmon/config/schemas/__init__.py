"""One declared schema per config file (pydantic models: unknown keys and wrong types rejected)."""
