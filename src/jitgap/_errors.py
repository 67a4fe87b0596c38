class JitgapError(Exception):
    """An error with a message meant for the user (no traceback is shown)."""
