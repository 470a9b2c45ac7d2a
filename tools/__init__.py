"""Developer tools that are not part of the installed package (type-checking, packaging checks)."""
