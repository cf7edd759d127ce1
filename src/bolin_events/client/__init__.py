"""The staff client a reporter runs on a laptop (`bolin-events client …`): ``api`` talks to a
remote server over httpx with a saved token, ``sheet`` reads a batch of reports from CSV or
XLSX. It imports nothing of the server: it runs where only this package is installed.
"""
