"""A setup.py project built by ninjagen."""
