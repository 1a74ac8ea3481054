"""Syncing a train: `record` gathers, classifies and records its sources' changes; `train` runs a
whole sync (record, attach to the tickets, finish approvals' writes) and returns the view."""
