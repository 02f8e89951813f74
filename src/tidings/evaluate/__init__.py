"""Measuring tidings against labelled data (`tidings evaluate`)."""
