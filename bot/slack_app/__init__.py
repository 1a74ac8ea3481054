"""The Slack app: Bolt listeners (one module per surface), Block Kit builders and ids."""
