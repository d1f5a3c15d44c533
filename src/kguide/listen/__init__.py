"""The listening check: hear the built audio back with an offline speech recognizer."""
