"""Shared building blocks: database base, errors, permissions, blobs, mail, API helpers."""
