"""Operations: health and metrics."""
