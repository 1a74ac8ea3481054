"""Where a train's sprint windows come from: a fixed `cadence`, or a Jira `board`."""
