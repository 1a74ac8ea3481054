"""The release notes: `context` turns a sprint's changes into plain data for the templates,
`render` turns that data into text for one format."""
