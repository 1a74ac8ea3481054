"""What people see of a train: `status` reads a sprint's view, `report` is its JSON, and
`vocabulary` the words every surface shares (short ids, sprint windows, draft lines)."""
