"""sokhcn-site: the static site generator of a provincial news portal."""

__version__ = "0.1.0"
