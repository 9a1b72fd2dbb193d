"""zhengcetong (政策通): from government gazette text to policy benefits people receive."""

__version__ = "0.1.0"
