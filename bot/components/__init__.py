"""Custom components that run inside the Rasa server's NLU pipeline."""
