"""The members app's public pages: the member directory and its map, and the
unsubscribe page of the mailings. No login; no private field (no fee, no
contact's address or phone) is read here."""
