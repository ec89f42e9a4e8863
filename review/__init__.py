"""Staff review app: kommune staff read masked conversations, tag them and correct intents."""
