"""Smarketing Desktop: sales and marketing plan together."""

__version__ = "0.1.0"
APP_NAME = "Smarketing Desktop"
APP_ID = "smarketing-desktop"
ORG_NAME = "Smarketing"
