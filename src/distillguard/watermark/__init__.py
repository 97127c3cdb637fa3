"""Watermarking outputs so that a suspect model can be tested for having learned from them."""
