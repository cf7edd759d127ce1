"""HTTP handlers, kept thin: parse the request, call a service, return a schema, a page or
bytes. ``api`` holds the JSON API, ``pages`` the HTML pages, ``feeds`` the .ics mount;
``deps`` is what several of them share, ``downloads`` the files and charts reports send.
"""
