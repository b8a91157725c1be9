"""Writes of the claims app, one module per concern: claims, checks, reviews, findings, index."""
