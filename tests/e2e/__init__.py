"""Browser tests: JupyterLab in headless chromium (marked e2e)."""
