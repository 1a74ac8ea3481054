"""Release-notes drafts in Slack: `drafts` posts each version once, `decide` takes one decision
per version, `follow_up` writes what an approval owes Jira, exactly once."""
