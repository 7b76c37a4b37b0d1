"""How the emulator is served: the WSGI stack (``stack.build_app``, the one place it is assembled;
the Flask app of ``app``), and the ways to run it: werkzeug in a thread or in the foreground
(``werkzeug``), granian (``granian``, the default of ``serve``), gunicorn (``gunicorn``), and no
server at all (``inprocess``, behind ``responses`` and httpx)."""
