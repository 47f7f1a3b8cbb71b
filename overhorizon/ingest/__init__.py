"""Ingest: bytes from files, directories, stdin, feeds and archives into keyed Article records."""
