"""Questionnaires for deputies and the public arrive with the preliminary-assessment issue."""
