"""Rectification plans and reports arrive with the rectification issue."""
