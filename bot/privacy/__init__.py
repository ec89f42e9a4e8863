"""Privacy: masking personal data before it is stored or logged (masking.py is the entry point)."""
