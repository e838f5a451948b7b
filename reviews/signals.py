"""Signals for apps above this one, which this app never imports."""

from django.dispatch import Signal

# Sent (actor=, campaign=, changed=) inside the transaction that changed a campaign's
# settings; `changed` maps each changed field to its new value.
campaign_changed = Signal()
