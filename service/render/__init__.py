"""Rendering: plain functions from data to document bytes; they know nothing of Flask or RQ."""
