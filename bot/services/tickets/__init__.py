"""The sprint's Release Train ticket: `find` finds or creates it, `attach` brings the sprint's
changes onto it, `summary` keeps its one summary comment up to date."""
