"""Analysis stages: each a pure function from a parsed article (or a set of them) to records."""
