"""Simulated, labelled API traffic for exercising detection end to end."""
