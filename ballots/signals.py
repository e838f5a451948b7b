"""Signals for apps above this one, which this app never imports."""

from django.dispatch import Signal

# Sent (actor=, campaign=) inside the transaction that created, changed or deleted a
# review meeting of `campaign`.
meeting_recorded = Signal()
