"""bolin-events: the culture station's programme, feeds and attendance figures."""

__version__ = "0.1.0"
