"""The one exception jitgap raises for the user, and what it is about."""


class JitgapError(Exception):
    """An error with a message meant for the user (no traceback is shown).

    ``str(exc)`` is the message.  An error about one interpreter or one file carries them
    as fields, so no caller parses them back out of the text: ``interpreter`` (its name),
    ``path`` (the file) and ``reason`` (what went wrong, without naming the interpreter).
    A message given with ``path`` may name it once as ``{path}``; :meth:`naming` then says
    the same thing about the file under another name ("this cell")."""

    def __init__(self, message, interpreter=None, path=None, reason=None):
        self.interpreter = interpreter
        self.path = path
        self.reason = reason
        self._template = message if path is not None and "{path}" in message else None
        Exception.__init__(self, self.naming(path) if self._template else message)

    def naming(self, name):
        """The message, with the file it is about called ``name``."""
        if self._template is None:
            return str(self)
        return self._template.replace("{path}", str(name), 1)
