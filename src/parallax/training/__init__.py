"""Training code for Parallax's shipped models: run by ``make models``, never on the hot path."""
