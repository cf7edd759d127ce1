"""iCal feeds: everything a feed request touches except the ASGI mount (``routes.feeds``).

``scope`` reads which feed a request names, ``rows`` selects what it holds, ``snapshot``
turns rows into what ``calendar`` renders, ``build`` assembles and versions the file,
``cache`` keeps rendered bytes and headers per data version, ``downloads`` makes the files a
visitor imports once (one night, the nights to come), and ``links`` makes the subscribe
addresses and QR codes that point at feeds.
"""
