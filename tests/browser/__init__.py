"""Browser tests: every lesson opened, answered and restarted in JupyterLab, in the system's Chromium."""
