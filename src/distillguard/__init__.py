"""distillguard: detect, prevent, prove and report distillation campaigns against a model API."""

__version__ = "0.1.0"
