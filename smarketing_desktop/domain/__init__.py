"""Plain domain types and words (no Qt, no ORM)."""
