"""Storage that runs inside the Rasa server: the masking tracker store and conversation retention."""
