"""Background jobs: our own record of each job (``Job``) and the huey queue that runs them.

Higher features register a handler per kind (``registry.handler``); ``services.start`` records the
job in the caller's transaction and enqueues it only once that commits.
"""
