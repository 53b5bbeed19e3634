"""Understanding customers' messages without the LLM: what they want, and which vehicles."""
