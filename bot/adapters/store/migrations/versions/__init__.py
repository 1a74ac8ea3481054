"""The store's schema revisions, applied in order by `release-train db upgrade` or at start-up.

Every revision follows the release process the bot enforces on the code it watches: it is
backwards-compatible with the release before it, so a replica still running the previous
version keeps working while another upgrades the store. A change that would break that is made
in two stages, each its own revision and release: first expand (add the new table or nullable
column, keep the old one and go on writing it), then, once every running release uses the new
shape, contract (drop what is no longer read). A revision never renames or drops in the same
step as it adds.

Revision ids are readable and ordered (`0001_initial`, `0002_http_cache`); files are named
`v<revision id>.py` so they are importable module names.
"""
