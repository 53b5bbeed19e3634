"""OpenAI-compatible LLM server on llama.cpp (llama-cpp-python)."""
