"""The hostile catalogue (issue 20): each case made by its test, with its refusal, and where it
applies, that the server still serves afterwards.

- Workbook bombs (`bombs.py`): one cell at XFD1048576, a 5 KB sheet spanning A1:GS100001, a
  declared-only A1:XFD1048576 -> `sheet_too_large` with the sheet's size (test_uploads.py; and
  against a real server, which then serves this session and a new one: tests/browser/test_hostile.py).
- Zip bombs: declared 30 MB over a 20 MB cap -> `xlsx_unpacked_too_large`; a directory that lies
  -> refused while inflating; a reader out of memory or time -> `xlsx_over_limits`, this process
  going on (test_uploads.py).
- A 200 MB CSV -> `too_large` before any parsing, in read_grid and in the CLI; a CSV wider than
  any table -> `too_many_columns` (test_uploads.py).
- Formula cells (=, +, -, @, tab, CR) in CSV and xlsx downloads, the audit log, rejected rows,
  templates -> neutral text, numbers kept (test_formulas.py).
- Markdown and HTML in URL values, a pilot's name, a saved view's name, a file name, a reason,
  robot messages, mails, the report and the digest -> shown as text (test_markdown.py).
- Webhook addresses: loopback, 10.x, CGNAT, 169.254.169.254, multicast, "any", IPv6 loopback and
  mapped, a host name that resolves to loopback (then or later), a redirecting receiver, a
  receiver whose answer carries Markdown, a receiver that hangs (test_webhooks.py).
- One answer for "not yours" and "not there" in uploads, URLs and the CLI; an unverified provider
  e-mail (test_not_yours.py). Streamlit's metrics and the downloads' caching at the proxy
  (test_proxy.py; running: tests/hosting/test_serve.py).
"""
