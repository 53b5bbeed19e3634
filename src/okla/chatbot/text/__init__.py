"""The one place that reads Spanish (and English) text: folding, money, vocabulary, language."""
