"""The fault suite: what a hostile user or an unlucky operator did to the pipeline, one test (or a few)
per fault, each reproducing it against the real thing (the SMTP test server, local HTTP servers, the
store on SQLite and PostgreSQL, the archive app) and checking what happens now. The table of
docs/faults.md, "Faults, and what happens now", lists them with their tests.

- ``test_email.py``: the delivery ledger, a broken connection after DATA, ``--resend``, the SMTP password;
- ``test_kill.py``: kill -9 at every step of sending, then a rerun: one email each, or an unknown
  outcome reported; never two;
- ``test_fetcher.py``: a slow-loris server, the SSRF guard with ``allow_private``, implausible dates,
  control characters and ``javascript:`` links;
- ``test_inputs.py``: YAML alias bombs and duplicate keys, weeks and numbers out of range, long ids and
  addresses, PostgreSQL lost mid-run, ``ulimit -v``, the subscribers file, future weeks, ``.tmp`` files;
- ``test_store_and_archive.py``: processes opening a new store at once; the archive app's drafts,
  links and names.

No test sends traffic beyond 127.0.0.0/8: the SSRF tests resolve made-up names and dial through an
injected connect function that only ever reaches 127.0.0.1.
"""
