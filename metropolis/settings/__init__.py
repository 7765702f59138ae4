"""Settings package: ``base`` holds what every mode shares; ``local``, ``production``
and ``test`` adjust it. Every value that differs between machines comes from the
environment (see ``.env.example``)."""
