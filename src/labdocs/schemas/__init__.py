"""Marshmallow schemas: the public data contract for bids and document requests."""
