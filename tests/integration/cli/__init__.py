"""The command line inside the test process."""
