"""dxmonitor: catalogue → collection → validation → evaluation → report for a province's digital transformation."""

__version__ = "0.1.0"
