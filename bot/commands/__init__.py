"""The commands' bodies: load the settings, wire through bootstrap, print for people or JSON."""
